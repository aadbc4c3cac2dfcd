package serverless.examples.hivemq;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The bookkeeping of a run of N QoS 1 messages, the same for both HiveMQ examples: how many the broker
 * acknowledged (PUBACK), which came back through the subscription (each payload counted once; a repeat is
 * a duplicate, which QoS 1 allows), and a window of at most {@code maxInFlight} messages sent but not yet
 * back. The window keeps a large N from piling up in the broker's queue for this session (1000 messages on
 * EMQX and HiveMQ), also while the connection is down and the client keeps what it is given.
 *
 * <p>The client completes publish futures and calls the message callback on its own threads; the main
 * thread waits in the {@code await} methods. Every wait ends with {@link Stalled} once nothing new has
 * happened for 20 s, and with {@link NotPublished} for the first failed publish (for example a PUBACK error
 * code) as soon as there is one.
 */
final class RoundTrip {

    static final Duration STALL_LIMIT = Duration.ofSeconds(20);

    private final String payloadPrefix;
    private final int total;
    private final int maxInFlight;
    private final BitSet received = new BitSet();
    private int receivedCount;
    private int duplicates;
    private int acknowledgedCount;
    private int sent;
    private NotPublished failure;
    private long lastProgress = System.nanoTime();

    RoundTrip(String clientId, int total, int maxInFlight) {
        this.payloadPrefix = "Hello from " + clientId + " #";
        this.total = total;
        this.maxInFlight = maxInFlight;
    }

    /**
     * How many messages may be on their way: {@code maxInFlight}, and with pacing half a second's worth. After a
     * reconnect the client sends again, at once, every message the broker had not acknowledged and those it kept
     * meanwhile, and the next new message goes right after them. The broker takes that burst from its allowance
     * for this client (Serverless: a bucket of 10, refilled at 10 a second), and the messages after it come at
     * exactly the rate the bucket refills: a burst that empties it leaves no room for the slightest jitter, and a
     * message is then refused (MQTT 5, 0x97) or dropped unnoticed (MQTT 3.1.1). Half the rate, and the next one,
     * leave 4 of the 10. With a window of 10, every example lost a message at a broker restart (RestartIT). At
     * 10 per second, 5 still leave half a second for each message to come back.
     */
    static int window(int maxInFlight, int publishRate) {
        return publishRate == 0 ? maxInFlight : Math.min(maxInFlight, Math.max(1, publishRate / 2));
    }

    /** The payload of message {@code i} (1..N): "Hello from CLIENT_ID #i". */
    byte[] payload(int i) {
        return (payloadPrefix + i).getBytes(UTF_8);
    }

    /**
     * Waits until fewer than {@code maxInFlight} messages are on their way, then counts one more as sent. A
     * publish that has failed meanwhile ends the run here, before the next message goes out.
     */
    synchronized void awaitRoomToSend() throws Stalled, NotPublished, InterruptedException {
        if (failure != null) {
            throw failure;
        }
        while (sent - receivedCount >= maxInFlight) {
            awaitProgress();
        }
        sent++;
    }

    /** The outcome of message {@code number}'s publish future: null for the broker's PUBACK, or why not. */
    synchronized void published(int number, Throwable error) {
        if (error != null) {
            if (failure == null) {
                failure = new NotPublished(number, error);
            }
        } else {
            acknowledgedCount++;
            lastProgress = System.nanoTime();
        }
        notifyAll();
    }

    /** A message arrived through the subscription; payloads that are not this run's are ignored. */
    synchronized void received(byte[] payload) {
        int i = indexOf(new String(payload, UTF_8));
        if (i < 0) {
            return;
        }
        if (received.get(i)) {
            duplicates++;
            return;
        }
        received.set(i);
        receivedCount++;
        lastProgress = System.nanoTime();
        notifyAll();
    }

    synchronized void awaitAllAcknowledged() throws Stalled, NotPublished, InterruptedException {
        while (acknowledgedCount < total) {
            awaitProgress();
        }
    }

    synchronized void awaitAllReceived() throws Stalled, NotPublished, InterruptedException {
        while (receivedCount < total) {
            awaitProgress();
        }
    }

    synchronized int duplicates() {
        return duplicates;
    }

    /** Waits for the next acknowledgement or message, or throws once nothing has happened for 20 s. */
    private void awaitProgress() throws Stalled, NotPublished, InterruptedException {
        if (failure != null) {
            throw failure;
        }
        long left = lastProgress + STALL_LIMIT.toNanos() - System.nanoTime();
        if (left <= 0) {
            throw receivedCount < total
                    ? new Stalled((total - receivedCount) + " of " + total + " messages did not come back within "
                            + STALL_LIMIT.toSeconds() + " s of the last one")
                    : new Stalled((total - acknowledgedCount) + " of " + total + " messages were not acknowledged"
                            + " (PUBACK) within " + STALL_LIMIT.toSeconds() + " s of the last one");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
    }

    private int indexOf(String payload) {
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

    /** Message {@code number} was not published; the cause says why (Mqtt5PubAckException: the broker refused it). */
    static final class NotPublished extends Exception {
        private final int number;

        NotPublished(int number, Throwable cause) {
            super("message " + number + " was not published", cause);
            this.number = number;
        }

        int number() {
            return number;
        }
    }

    /** Nothing new arrived for {@link #STALL_LIMIT}: the message says how many are missing. */
    static final class Stalled extends Exception {
        Stalled(String message) {
            super(message);
        }
    }
}
