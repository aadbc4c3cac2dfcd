package serverless.examples.quarkus;

import java.util.concurrent.TimeUnit;

/**
 * At most MQTT_PUBLISH_RATE messages per second: no two publishes closer together than 1/rate seconds.
 *
 * <p>Why: a Serverless deployment takes at most 10 messages per second from one client (EMQX counts them in
 * a bucket of 10 per client, refilled at 10 per second). What comes faster is not delivered, and an MQTT
 * 3.1.1 client, which is all Vert.x MQTT speaks, is not even told: its PUBACK has no reason code, so the
 * broker acknowledges the message as usual and drops it. Neither the MQTT connector nor the Vert.x MQTT client
 * has a publish rate limit (the connector's {@code max-inflight-queue} bounds the messages waiting for a
 * PUBACK, not the messages per second), so the example paces itself.
 *
 * <p>This class does not wait: it says how long to wait ({@link #nanosUntilNext()}), and {@link RoundTrip}
 * schedules its next publish for then on its own thread. The spacing counts from the previous publish as it
 * really happened: after a stall (a full window, a reconnect) the next message goes at once and the one after
 * it 1/rate later, never a burst to catch up. A rate of 0 turns pacing off, for a broker without this quota.
 * Used on RoundTrip's thread only.
 */
final class PublishPace {

    /** 0: pacing off. Rounded up, so that the pace never exceeds the rate. */
    private final long intervalNanos;
    private long previous;
    private boolean started;

    PublishPace(int messagesPerSecond) {
        long second = TimeUnit.SECONDS.toNanos(1);
        this.intervalNanos = messagesPerSecond == 0 ? 0 : (second + messagesPerSecond - 1) / messagesPerSecond;
    }

    // [START pace]
    /** How long until the next message may go: 0 when it may go now. */
    long nanosUntilNext() {
        if (intervalNanos == 0 || !started) {
            return 0; // MQTT_PUBLISH_RATE=0, or the first message
        }
        return Math.max(0, previous + intervalNanos - System.nanoTime());
    }

    /** Counts a message as published now; call it as it goes out. */
    void published() {
        started = true;
        // From now, not from when this message was due: a stall earns no credit for a burst afterwards.
        previous = System.nanoTime();
    }
    // [END pace]
}
