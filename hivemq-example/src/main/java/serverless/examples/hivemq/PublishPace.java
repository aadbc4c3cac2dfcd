package serverless.examples.hivemq;

import java.util.concurrent.TimeUnit;

/**
 * At most MQTT_PUBLISH_RATE messages per second: before each publish, {@link #awaitTurn()} waits until
 * 1/rate seconds have passed since the previous one.
 *
 * <p>Why: a Serverless deployment takes at most 10 messages per second from one client (EMQX counts them in
 * a bucket of 10 per client, refilled at 10 per second). What comes faster is not delivered: a QoS 1 message
 * over MQTT 5 gets a PUBACK with reason code 0x97 (quota exceeded); over MQTT 3.1.1, whose PUBACK has no
 * reason code, it is acknowledged as usual and silently dropped. The HiveMQ client has no publish rate limit
 * of its own (its flow control, the broker's Receive Maximum, bounds the messages in flight, not the
 * messages per second), so the example paces itself.
 *
 * <p>The spacing counts from the previous publish as it really happened: after a stall (a full window, a
 * reconnect) the next message goes at once and the one after it 1/rate later, never a burst to catch up.
 * A rate of 0 turns pacing off, for a broker without this quota. One thread (the publish loop) calls it.
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
    /** Waits until this message may go, then counts it as published now. */
    void awaitTurn() throws InterruptedException {
        if (intervalNanos == 0) {
            return; // MQTT_PUBLISH_RATE=0: no pacing
        }
        if (started) {
            long wait;
            while ((wait = previous + intervalNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        started = true;
        // From now, not from when this message was due: a stall earns no credit for a burst afterwards.
        previous = System.nanoTime();
    }
    // [END pace]
}
