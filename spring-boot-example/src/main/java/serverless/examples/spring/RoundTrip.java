package serverless.examples.spring;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The bookkeeping of a run of N QoS 1 messages: which were acknowledged
 * (PUBACK), which came back through the subscription (each payload counted once; a repeat is a duplicate,
 * which QoS 1 allows), and a window of at most so many unfinished messages (sent, but not yet both
 * acknowledged and back). The window keeps a large N from piling up in the broker's queue for this session
 * (1000 messages on EMQX and HiveMQ) or beyond the client's in-flight limit.
 *
 * <p>Paho reports PUBACKs (through the client manager's callback) and messages (through the inbound channel
 * adapter) on its callback thread; the main thread waits in the {@code await} methods (also for a reconnect,
 * see {@link #awaitConnected}). Every wait ends with {@link Stalled}
 * once nothing new has happened for 20 s, and with {@link Refused} as soon as an MQTT 5 PUBACK has refused
 * a message (see {@link #refused}).
 */
final class RoundTrip {

    static final Duration STALL_LIMIT = Duration.ofSeconds(20);

    private final String payloadPrefix;
    private final int total;
    private final BitSet acknowledged = new BitSet();
    private final BitSet received = new BitSet();
    private int acknowledgedCount;
    private int receivedCount;
    private int duplicates;
    private int started;
    private int finished;
    private int refusedMessage;
    private int refusedReasonCode;
    private long lastProgress = System.nanoTime();

    RoundTrip(String clientId, int total) {
        this.payloadPrefix = "Hello from " + clientId + " #";
        this.total = total;
    }

    /**
     * How many messages may be unfinished at once: {@code window}, and with pacing half a second's worth. After a
     * reconnect the client sends again, at once, every message the broker had not acknowledged and those it kept
     * meanwhile, and the next new message goes right after them. The broker takes that burst from its allowance
     * for this client (Serverless: a bucket of 10, refilled at 10 a second), and the messages after it come at
     * exactly the rate the bucket refills: a burst that empties it leaves no room for the slightest jitter, and a
     * message is then refused (MQTT 5, 0x97) or dropped unnoticed (MQTT 3.1.1). Half the rate, and the next one,
     * leave 4 of the 10. With a window of 10, every example lost a message at a broker restart (RestartIT). At
     * 10 per second, 5 still leave half a second for each message to come back.
     */
    static int window(int window, int publishRate) {
        return publishRate == 0 ? window : Math.min(window, Math.max(1, publishRate / 2));
    }

    /** The payload of message {@code i} (1..N): "Hello from CLIENT_ID #i". */
    String payload(int i) {
        return payloadPrefix + i;
    }

    /** Waits until fewer than {@code window} messages are unfinished, then counts one more as sent. */
    synchronized void awaitRoom(int window) throws Stalled, Refused, InterruptedException {
        throwIfRefused(); // also when the window has room: a refusal ends the run at once
        while (started - finished >= window) {
            awaitProgress();
        }
        started++;
        lastProgress = System.nanoTime();
    }

    /** The broker acknowledged message {@code i} (PUBACK). */
    synchronized void acknowledged(int i) {
        if (!acknowledged.get(i)) {
            acknowledged.set(i);
            acknowledgedCount++;
            progress(i);
        }
    }

    /**
     * The broker refused message {@code i} in its MQTT 5 PUBACK with {@code reasonCode} (0x80 or more, e.g. 0x97
     * quota exceeded, 0x87 not authorized): every wait now ends with {@link Refused}. Waiting for the rest would
     * only wait for messages that the broker is refusing too.
     */
    synchronized void refused(int i, int reasonCode) {
        if (refusedMessage == 0) {
            refusedMessage = i;
            refusedReasonCode = reasonCode;
        }
        notifyAll();
    }

    /** A message arrived through the subscription; payloads that are not this run's are ignored. */
    synchronized void received(String payload) {
        int i = indexOf(payload);
        if (i < 0) {
            return;
        }
        if (received.get(i)) {
            duplicates++;
            return;
        }
        received.set(i);
        receivedCount++;
        progress(i);
    }

    /** Waits until {@code connected} says so; {@link #connectionChanged()} wakes it up. */
    synchronized void awaitConnected(BooleanSupplier connected) throws Stalled, Refused, InterruptedException {
        while (!connected.getAsBoolean()) {
            awaitProgress();
        }
    }

    /** The client connected again: wakes up {@link #awaitConnected}. */
    synchronized void connectionChanged() {
        notifyAll();
    }

    /**
     * Waits for the next PUBACK: the client refused to send one more because as many as the broker's Receive
     * Maximum (from its CONNACK) are unacknowledged.
     */
    synchronized void awaitAcknowledgement() throws Stalled, Refused, InterruptedException {
        int before = acknowledgedCount;
        while (acknowledgedCount == before) {
            awaitProgress();
        }
    }

    synchronized void awaitAllAcknowledged() throws Stalled, Refused, InterruptedException {
        while (acknowledgedCount < total) {
            awaitProgress();
        }
    }

    synchronized void awaitAllReceived() throws Stalled, Refused, InterruptedException {
        while (receivedCount < total) {
            awaitProgress();
        }
    }

    synchronized int duplicates() {
        return duplicates;
    }

    private void progress(int i) {
        if (acknowledged.get(i) && received.get(i)) {
            finished++;
        }
        lastProgress = System.nanoTime();
        notifyAll();
    }

    /**
     * Waits for the next acknowledgement or message, or throws once nothing has happened for 20 s, or at once
     * when the broker has refused a message.
     */
    private void awaitProgress() throws Stalled, Refused, InterruptedException {
        throwIfRefused();
        long left = lastProgress + STALL_LIMIT.toNanos() - System.nanoTime();
        if (left <= 0) {
            throw receivedCount < total
                    ? new Stalled((total - receivedCount) + " of " + total + " messages did not come back within "
                            + STALL_LIMIT.toSeconds() + " s of the last one", true)
                    : new Stalled((total - acknowledgedCount) + " of " + total + " messages were not acknowledged"
                            + " (PUBACK) within " + STALL_LIMIT.toSeconds() + " s of the last one", false);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
    }

    private void throwIfRefused() throws Refused {
        if (refusedMessage != 0) {
            throw new Refused(refusedMessage, refusedReasonCode);
        }
    }

    /** The message number (1..N) of one of this run's payloads, or -1 for any other payload. */
    int indexOf(String payload) {
        if (payload.startsWith(payloadPrefix)) {
            try {
                int i = Integer.parseInt(payload.substring(payloadPrefix.length()));
                return i >= 1 && i <= total ? i : -1;
            } catch (NumberFormatException notOurs) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Nothing new arrived for {@link #STALL_LIMIT}: the message says how many are missing. {@code notBack}: they
     * were acknowledged but did not come back (what a broker's silent drop looks like to MQTT 3.1.1).
     */
    static final class Stalled extends Exception {
        final boolean notBack;

        Stalled(String message, boolean notBack) {
            super(message);
            this.notBack = notBack;
        }
    }

    /** The broker refused a message in its MQTT 5 PUBACK: which one (1..N) and the reason code. */
    static final class Refused extends Exception {
        final int message;
        final int reasonCode;

        Refused(int message, int reasonCode) {
            super(String.format("the broker refused message %d with reason code 0x%02X", message, reasonCode));
            this.message = message;
            this.reasonCode = reasonCode;
        }
    }
}
