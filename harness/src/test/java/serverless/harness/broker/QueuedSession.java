package serverless.harness.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static serverless.harness.broker.LocalBrokerFixture.WAIT;
import static serverless.harness.broker.LocalBrokerFixture.close;
import static serverless.harness.broker.LocalBrokerFixture.unique;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import serverless.harness.TestBed;
import serverless.harness.broker.LocalBrokerFixture.Collector;

/**
 * The local broker's own promise across a restart: a persistent session, and a QoS 1 message queued for
 * it while it was offline, are still there afterwards, and so is its count of subscriptions (Serverless' quota of
 * 10 per client). Set up before a restart, checked after it.
 *
 * <p>{@code RestartIT} checks it on the run's one restart of the shared broker: a restart holds that broker
 * alone for several seconds, during which every other suite waits, so the suite makes only one.
 */
public final class QueuedSession {

    private final LocalBrokerFixture local;
    private final String subscriberId = unique("persistent");
    private final String topic = "harness-test/" + subscriberId;

    private QueuedSession(LocalBrokerFixture local) {
        this.local = local;
    }

    /** Why the check cannot run in this run, if it cannot (the same reason as the broker's other tests). */
    public static Optional<String> unavailableReason() {
        return LocalBrokerFixture.unavailableReason();
    }

    /** Subscribes a persistent session, leaves, and queues a message for it: call before the restart. */
    public static QueuedSession beforeTheRestart(TestBed bed) throws Exception {
        QueuedSession session = new QueuedSession(LocalBrokerFixture.of(bed));
        session.subscribeAndLeave();
        session.local.publish(session.topic, "before restart");
        return session;
    }

    private void subscribeAndLeave() throws Exception {
        MqttClient subscriber = local.client(subscriberId);
        try {
            subscriber.connect(local.persistent());
            // Its topic at QoS 1, and nine filters more: the quota's ten, with which the session must come back.
            String[] filters = IntStream.range(0, Quota.SUBSCRIPTIONS.limit())
                    .mapToObj(i -> i == 0 ? topic : topic + "/" + i).toArray(String[]::new);
            int[] qos = new int[filters.length];
            qos[0] = 1;
            subscriber.subscribe(filters, qos);
            subscriber.disconnect();
        } finally {
            close(subscriber);
        }
    }

    /**
     * Queues one more message, comes back, and asserts the session was present and both messages arrive, and that
     * the session still holds its ten subscriptions: an eleventh is refused.
     */
    public void assertKeptAcrossTheRestart() throws Exception {
        local.publish(topic, "after restart");
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient again = local.client(subscriberId);
        again.setCallback(new Collector(received));
        try {
            IMqttToken connected = again.connectWithResult(local.persistent());
            assertTrue(connected.getSessionPresent(), "session present after the restart");
            await().atMost(WAIT).until(() -> received.containsAll(List.of("before restart", "after restart")));
        } finally {
            close(again);
        }
        try (RawMqtt raw = local.rawMqtt(RawMqtt.V3_1_1)) {
            assertTrue(raw.connect(subscriberId, local.user(), local.password(), false).sessionPresent());
            assertEquals(List.of(0x80), raw.subscribe(topic + "/eleventh"), "an 11th subscription after the restart");
        }
    }
}
