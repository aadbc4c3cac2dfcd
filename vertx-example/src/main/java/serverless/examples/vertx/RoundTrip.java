package serverless.examples.vertx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends the messages through a {@link ReconnectingSession} at QoS 1 and waits until every one has come back
 * through the subscription, with a bounded window and nothing lost across a reconnect:
 *
 * <ul>
 *   <li>at most {@link #WINDOW} messages are in flight (with pacing, half a second's worth: {@link #window}):
 *       published, and not yet both acknowledged (PUBACK) and received back. So the broker never holds more than
 *       that for us, far below its per-session queue of 1000 messages (EMQX and HiveMQ), even while we are
 *       disconnected; and the client's own {@code maxInflightQueue} (unacknowledged PUBLISHes, a subset) is set to
 *       {@link #WINDOW} and never refuses a publish;</li>
 *   <li>no faster than MQTT_PUBLISH_RATE ({@link PublishPace}): Serverless drops what one client sends
 *       over 10 messages per second, without telling an MQTT 3.1.1 client;</li>
 *   <li>while disconnected, nothing is published: the rest of the messages simply wait their turn;</li>
 *   <li>after a reconnect, the messages the broker had not acknowledged are published again (it may have
 *       received them, so the subscription may deliver them twice: counted as duplicates). If the broker lost
 *       our session, the messages it had acknowledged but not yet delivered back are gone with it, so those
 *       are published again too. They go at the same pace, before any new message;</li>
 *   <li>every message must come back; when nothing new has arrived for {@link #STALL_SECONDS} s, the run ends
 *       with how many are missing.</li>
 * </ul>
 *
 * <p>Like the session, it runs on the client's event loop only.
 */
final class RoundTrip {

    /** Messages in flight at most; 100 keeps a local round trip of 5000 messages within a couple of seconds. */
    static final int WINDOW = 100;
    static final int STALL_SECONDS = 20;

    /**
     * How many messages may be in flight at once: {@link #WINDOW}, and with pacing half a second's worth (5 at
     * Serverless' 10 a second). The pace spaces the publishes as they leave the client, but the broker counts them
     * as it takes them in: whatever it has not taken in yet when it stalls (a restart, a slow moment, a network
     * that holds packets back) reaches its count together afterwards, and every one of those is unacknowledged,
     * so in flight. With 100 in flight, the harness's broker (RestartIT), letting go the PUBLISHes it had held
     * back, took in 17 of ours within 31 ms and refused 8 over the rate (1 to 27 in other runs), which an MQTT
     * 3.1.1 client is never told of. Half the rate leaves half of the bucket for what comes after, and still half a
     * second for each message to come back.
     */
    static int window(int publishRate) {
        return publishRate == 0 ? WINDOW : Math.min(WINDOW, Math.max(1, publishRate / 2));
    }

    private final Vertx vertx;
    private final ReconnectingSession session;
    private final List<String> payloads;
    private final Map<String, Integer> positions = new HashMap<>();

    private int next; // payloads.get(0 .. next - 1) have been published at least once
    private final Set<String> unacknowledged = new LinkedHashSet<>(); // published, no PUBACK yet; in order
    private final Set<String> inFlight = new LinkedHashSet<>(); // published, not yet acknowledged and back
    private final Set<String> received = new HashSet<>();
    private final Set<String> toSendAgain = new LinkedHashSet<>(); // after a reconnect, in order
    private int duplicates;
    private final PublishPace pace;
    private final int window;
    private long paceTimer = -1; // set while waiting for the pace

    private final Promise<Void> allAcknowledged = Promise.promise();
    private final Promise<Void> allReceived = Promise.promise();
    private long lastProgress;
    private long stallTimer = -1;

    RoundTrip(Vertx vertx, ReconnectingSession session, List<String> payloads, int publishRate) {
        this.vertx = vertx;
        this.session = session;
        this.payloads = List.copyOf(payloads);
        this.pace = new PublishPace(publishRate);
        this.window = window(publishRate);
        for (int i = 0; i < payloads.size(); i++) {
            positions.put(payloads.get(i), i);
        }
        session.onMessage(this::received).onReconnected(this::publishAgain).onGiveUp(this::fail);
    }

    /** Starts publishing; the future completes once the broker has acknowledged (PUBACK) every message. */
    Future<Void> publishAll() {
        progress(); // publishes the first window
        watchForStall();
        return allAcknowledged.future();
    }

    /** Completes once every message has come back through the subscription. */
    Future<Void> allReceived() {
        return allReceived.future();
    }

    int duplicates() {
        return duplicates;
    }

    // [START window]
    /**
     * Publishes while there is a connection and something to send (first what a reconnect left to send again,
     * then new messages while the window has room), one at a time at the pace. When the pace says to wait, a
     * Vert.x timer calls this again: a sleep would block the event loop.
     */
    private void publishMore() {
        while (session.isConnected() && paceTimer == -1
                && (!toSendAgain.isEmpty() || (inFlight.size() < window && next < payloads.size()))) {
            long wait = pace.nanosUntilNext();
            if (wait > 0) {
                // Vert.x timers count whole milliseconds: rounded up, so that it never fires before the turn.
                long millis = TimeUnit.NANOSECONDS.toMillis(wait + 999_999);
                paceTimer = vertx.setTimer(millis, id -> {
                    paceTimer = -1;
                    publishMore();
                });
                return;
            }
            pace.published();
            if (toSendAgain.isEmpty()) {
                publish(payloads.get(next++), false);
            } else {
                Iterator<String> first = toSendAgain.iterator();
                String payload = first.next();
                first.remove();
                publish(payload, true);
            }
        }
    }

    private void publish(String payload, boolean again) {
        unacknowledged.add(payload);
        inFlight.add(payload);
        // A failure (the connection dropped before the PUBACK) leaves the message unacknowledged: it is
        // published again after the reconnect.
        session.publish(payload, again).onSuccess(acked -> acknowledged(payload));
    }

    /** After a reconnect: vertx-mqtt sends nothing again by itself, and its packet ids start over. */
    private void publishAgain(boolean sessionPresent) {
        // What the broker never acknowledged; and if it lost our session, also what it had acknowledged but
        // not delivered back yet, since that went with the session. At the pace, like new messages: all at
        // once, they would be over the broker's rate too.
        toSendAgain.clear();
        toSendAgain.addAll(sessionPresent ? unacknowledged : inFlight);
        publishMore();
    }
    // [END window]

    private void acknowledged(String payload) {
        if (unacknowledged.remove(payload)) {
            if (received.contains(payload)) {
                inFlight.remove(payload);
            }
            progress();
        }
    }

    private void received(String payload) {
        Integer position = positions.get(payload);
        if (position == null || position >= next) {
            return; // not ours, or left in the session by an earlier run with the same client id
        }
        if (!received.add(payload)) {
            duplicates++;
            return;
        }
        if (!unacknowledged.contains(payload)) {
            inFlight.remove(payload);
            toSendAgain.remove(payload); // back after all: no need to send it again
        }
        progress();
    }

    private void progress() {
        lastProgress = System.nanoTime();
        if (next == payloads.size() && unacknowledged.isEmpty()) {
            allAcknowledged.tryComplete();
        }
        if (received.size() == payloads.size()) {
            allReceived.tryComplete();
        }
        if (allAcknowledged.future().isComplete() && allReceived.future().isComplete()) {
            vertx.cancelTimer(stallTimer);
            vertx.cancelTimer(paceTimer);
        } else {
            publishMore();
        }
    }

    /** Ends the run when nothing new (PUBACK or message) has arrived for STALL_SECONDS; re-arms itself. */
    private void watchForStall() {
        if (allAcknowledged.future().isComplete() && allReceived.future().isComplete()) {
            return;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress);
        long limitMillis = TimeUnit.SECONDS.toMillis(STALL_SECONDS);
        if (idleMillis >= limitMillis) {
            int missing = payloads.size() - received.size();
            fail(new MessagesMissingException(missing + " of " + payloads.size() + " messages did not come back"
                    + " within " + STALL_SECONDS + " s of the last one"
                    + (session.isConnected() ? "" : ", and the connection to the broker is still down")));
        } else {
            stallTimer = vertx.setTimer(limitMillis - idleMillis, id -> watchForStall());
        }
    }

    private void fail(Throwable error) {
        vertx.cancelTimer(stallTimer);
        vertx.cancelTimer(paceTimer);
        allAcknowledged.tryFail(error);
        allReceived.tryFail(error);
    }

    /** Messages that did not come back in time; the message says how many. */
    static final class MessagesMissingException extends Exception {
        MessagesMissingException(String message) {
            super(message, null, false, false);
        }
    }
}
