package serverless.examples.spring;

import java.util.concurrent.TimeUnit;

/**
 * Keeps this client's publishes to at most MQTT_PUBLISH_RATE per second: each one at least 1/rate seconds
 * after the one before.
 *
 * <p>Why: a Serverless deployment lets one client publish 10 messages per second, and does not tell an
 * MQTT 3.1.1 client when it goes over. Over the rate, the broker refuses a QoS 1 message with an MQTT 5
 * PUBACK reason code 0x97 (quota exceeded), but an MQTT 3.1.1 PUBACK has no reason code, so a 3.1.1 client
 * gets a normal PUBACK and the message is silently dropped. Paho has no publish rate limit of its own (its
 * in-flight limit counts messages, not time), so the example keeps to the rate itself.
 *
 * <p>The gap is measured from the previous publish: after a pause (a full window, a reconnect) the next
 * message goes at once and the one after it a full gap later, never a burst to catch up. A rate of 0
 * turns pacing off, for brokers without this quota. One thread publishes, so there is no locking.
 */
final class PublishPace {

    private final long gapNanos;
    private long lastPublish;
    private boolean publishedBefore;

    PublishPace(int messagesPerSecond) {
        // Rounded up, so that no gap is shorter than 1/rate seconds.
        long second = TimeUnit.SECONDS.toNanos(1);
        this.gapNanos = messagesPerSecond == 0 ? 0 : (second + messagesPerSecond - 1) / messagesPerSecond;
    }

    /** Waits until a publish now keeps to the rate, and counts it as done: call it just before each publish. */
    void awaitTurn() throws InterruptedException {
        if (gapNanos == 0) {
            return; // MQTT_PUBLISH_RATE=0: no pacing
        }
        long now = System.nanoTime();
        if (publishedBefore) {
            long due = lastPublish + gapNanos;
            while (now - due < 0) { // in a loop: a sleep rounded to milliseconds can end a little early
                TimeUnit.NANOSECONDS.sleep(due - now);
                now = System.nanoTime();
            }
        }
        lastPublish = now;
        publishedBefore = true;
    }
}
