package serverless.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The messages of the run, on the two channels: sent through the outgoing channel's {@link Emitter},
 * counted as they come back on the incoming one, with a bounded window, at the pace, and nothing lost
 * across a reconnect.
 *
 * <ul>
 *   <li>The emitter's future completes when the connector has written the PUBLISH (its acknowledgement
 *       is the write, not the broker's PUBACK, which the connector does not report), and fails when the
 *       connector was not connected: it keeps nothing for later. Such a message is sent again once the
 *       connection and subscription are back.</li>
 *   <li>At most {@link #WINDOW} messages (with pacing, at most one second's worth) are in flight: sent and not
 *       yet back. That bounds what the broker ever holds for us, far below its per-session queue of 1000.</li>
 *   <li>No faster than MQTT_PUBLISH_RATE ({@link PublishPace}): Serverless drops what one client sends over 10
 *       messages per second, without telling an MQTT 3.1.1 client.</li>
 *   <li>After a reconnect every message still in flight is sent again: the example cannot know which ones
 *       the broker had acknowledged. A message may so come back twice: QoS 1 is at least once, and a repeat
 *       is counted as a duplicate.</li>
 *   <li>A send the connector has neither written nor refused after {@link #UNANSWERED_SEND} is sent
 *       again: across a broker restart the connector swallowed some sends, whose futures then never completed
 *       (30 of 1000 messages in one run here), and nothing else would ever send them again.</li>
 *   <li>When nothing new has come back or been written for {@link #STALL_SECONDS} s, the run ends with how
 *       many messages are missing.</li>
 * </ul>
 *
 * <p>Every change of state runs on one thread of its own ({@code loop}), whatever thread the channels and
 * the connection watch call from, so the state needs no locks.
 */
@ApplicationScoped
public class RoundTrip {

    static final int WINDOW = 100;
    static final int STALL_SECONDS = 20;
    static final Duration UNANSWERED_SEND = Duration.ofSeconds(5);

    // [START emitter]
    @Inject
    @Channel("round-trip-out")
    Emitter<String> out;
    // [END emitter]

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "round-trip");
        thread.setDaemon(true);
        return thread;
    });

    private ConnectionWatch connection;
    private List<String> payloads = List.of();
    private Set<String> ours = Set.of();
    private int window;
    private PublishPace pace;
    private int next; // payloads.get(0 .. next - 1) have been sent at least once
    private final Set<String> inFlight = new LinkedHashSet<>(); // sent, not back yet; in order
    private final Set<String> toSendAgain = new LinkedHashSet<>();
    private final Set<String> written = new HashSet<>();
    private final Map<String, Long> unanswered = new HashMap<>(); // payload -> when its latest send was made
    Duration unansweredSend = UNANSWERED_SEND; // shorter in RoundTripTest
    private final Set<String> received = new HashSet<>();
    private int duplicates;
    private ScheduledFuture<?> paceTimer;
    private ScheduledFuture<?> stallTimer;
    private long lastProgress;

    private final CompletableFuture<Void> allWritten = new CompletableFuture<>();
    private final CompletableFuture<Void> allReceived = new CompletableFuture<>();

    /**
     * Starts sending {@code payloads} at {@code publishRate} per second (0: no pacing) while
     * {@code connection} says the subscription is in place; completes once the connector has written each.
     */
    CompletableFuture<Void> publishAll(List<String> payloads, int publishRate, ConnectionWatch connection) {
        loop.execute(() -> {
            this.payloads = List.copyOf(payloads);
            this.ours = Set.copyOf(payloads);
            this.connection = connection;
            this.pace = new PublishPace(publishRate);
            this.window = publishRate == 0 ? WINDOW : Math.min(WINDOW, publishRate);
            connection.onReady(() -> loop.execute(this::sendAgainAfterReconnect));
            lastProgress = System.nanoTime();
            stallTimer = loop.scheduleWithFixedDelay(this::watchForStall, 1, 1, TimeUnit.SECONDS);
            publishMore();
        });
        return allWritten;
    }

    /** Completes once every message has come back through the subscription. */
    CompletableFuture<Void> allReceived() {
        return allReceived;
    }

    /**
     * Completes the outgoing channel: the connector then stops its session, which sends DISCONNECT. The
     * incoming channel shares that session (one client per host, port, user and client id).
     */
    void complete() {
        out.complete();
    }

    /** Messages that came back more than once; read after {@link #allReceived()}. */
    int duplicates() {
        return duplicates;
    }

    // [START incoming]
    /** Each message that arrives on the topic (already acknowledged to the broker: vertx-mqtt sends the PUBACK). */
    @Incoming("round-trip-in")
    void received(String payload) {
        loop.execute(() -> countReceived(payload));
    }
    // [END incoming]

    /** Sends while the subscription is in place and something is due: first what must go again, then new ones. */
    private void publishMore() {
        while (connection.readyToPublish() && paceTimer == null && !allReceived.isDone()
                && (!toSendAgain.isEmpty() || (inFlight.size() < window && next < payloads.size()))) {
            long wait = pace.nanosUntilNext();
            if (wait > 0) {
                paceTimer = loop.schedule(() -> {
                    paceTimer = null;
                    publishMore();
                }, wait, TimeUnit.NANOSECONDS);
                return;
            }
            pace.published();
            String payload;
            if (toSendAgain.isEmpty()) {
                payload = payloads.get(next++);
            } else {
                Iterator<String> first = toSendAgain.iterator();
                payload = first.next();
                first.remove();
            }
            inFlight.add(payload);
            long attempt = System.nanoTime();
            unanswered.put(payload, attempt);
            out.send(payload).whenComplete((ok, error) -> loop.execute(() -> sent(payload, attempt, error)));
        }
    }

    /** The connector wrote the message (error null), or refused it because it was not connected. */
    private void sent(String payload, long attempt, Throwable error) {
        unanswered.remove(payload, attempt); // only if no later send of it is waiting
        if (error != null) {
            if (inFlight.contains(payload)) {
                toSendAgain.add(payload); // once the connection and subscription are back
            }
        } else if (written.add(payload)) {
            progress();
        }
        publishMore();
    }

    /** The subscription is in place again after a reconnect: what is still in flight may be lost. */
    private void sendAgainAfterReconnect() {
        toSendAgain.addAll(inFlight);
        publishMore();
    }

    private void countReceived(String payload) {
        if (!ours.contains(payload)) {
            return; // not this run's, e.g. left in a kept session by an earlier run with the same client id
        }
        if (!received.add(payload)) {
            duplicates++;
            return;
        }
        inFlight.remove(payload);
        toSendAgain.remove(payload);
        unanswered.remove(payload);
        progress();
        publishMore();
    }

    private void progress() {
        lastProgress = System.nanoTime();
        if (written.size() == payloads.size()) {
            allWritten.complete(null);
        }
        if (received.size() == payloads.size()) {
            allReceived.complete(null);
            stallTimer.cancel(false);
            if (paceTimer != null) {
                paceTimer.cancel(false);
            }
        }
    }

    /** Sends again what the connector has held unanswered for too long (see the class comment). */
    private void sendAgainWhatWasSwallowed() {
        long now = System.nanoTime();
        unanswered.entrySet().removeIf(send -> {
            boolean swallowed = now - send.getValue() > unansweredSend.toNanos();
            if (swallowed && inFlight.contains(send.getKey())) {
                toSendAgain.add(send.getKey());
            }
            return swallowed;
        });
        publishMore();
    }

    private void watchForStall() {
        if (connection.readyToPublish()) {
            sendAgainWhatWasSwallowed();
        }
        if (System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(STALL_SECONDS) || allReceived.isDone()) {
            return;
        }
        stallTimer.cancel(false);
        int missing = payloads.size() - received.size();
        MessagesMissingException error = new MessagesMissingException(missing + " of " + payloads.size()
                + " messages did not come back within " + STALL_SECONDS + " s of the last one"
                + (connection.readyToPublish() ? "" : ", and the connection to the broker is still down"));
        allWritten.completeExceptionally(error);
        allReceived.completeExceptionally(error);
    }

    /** Messages that did not come back in time; the message says how many. */
    static final class MessagesMissingException extends Exception {
        MessagesMissingException(String message) {
            super(message, null, false, false);
        }
    }
}
