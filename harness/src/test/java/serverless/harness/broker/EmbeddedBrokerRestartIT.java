package serverless.harness.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static serverless.harness.broker.EmbeddedBrokerIT.HOST;
import static serverless.harness.broker.EmbeddedBrokerIT.PASSWORD;
import static serverless.harness.broker.EmbeddedBrokerIT.USER;
import static serverless.harness.broker.EmbeddedBrokerIT.WAIT;
import static serverless.harness.broker.EmbeddedBrokerIT.broker;
import static serverless.harness.broker.EmbeddedBrokerIT.client;
import static serverless.harness.broker.EmbeddedBrokerIT.close;
import static serverless.harness.broker.EmbeddedBrokerIT.options;
import static serverless.harness.broker.EmbeddedBrokerIT.publish;
import static serverless.harness.broker.EmbeddedBrokerIT.unique;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import serverless.harness.TestBed;
import serverless.harness.TestBedExtension;
import serverless.harness.broker.EmbeddedBrokerIT.Collector;

/**
 * The run's local broker keeps a persistent session, and the messages queued for it, across a restart.
 * It restarts the broker the other suites share, so it holds it alone while it runs.
 */
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ_WRITE)
@Order(3)
@Timeout(60)
class EmbeddedBrokerRestartIT {

    @BeforeAll
    static void useTheRunsLocalBroker(TestBed bed) throws Exception {
        EmbeddedBrokerIT.useTheRunsLocalBroker(bed);
    }

    @Test
    void aPersistentSessionSurvivesARestart() throws Exception {
        String subscriberId = unique("persistent");
        String topic = "harness-test/" + subscriberId;
        MqttConnectOptions persistent = options(USER, PASSWORD);
        persistent.setCleanSession(false);

        MqttClient subscriber = client("ssl://" + HOST + ":" + broker.tlsPort(), subscriberId);
        subscriber.connect(persistent);
        subscriber.subscribe(topic, 1);
        subscriber.disconnect();
        close(subscriber);
        publish(topic, "before restart");

        long restart = System.nanoTime();
        broker.restart();
        System.out.println("[EmbeddedBrokerRestartIT] broker restarted in " + (System.nanoTime() - restart) / 1_000_000 + " ms");
        publish(topic, "after restart");

        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient again = client("ssl://" + HOST + ":" + broker.tlsPort(), subscriberId);
        again.setCallback(new Collector(received));
        try {
            IMqttToken connected = again.connectWithResult(persistent);
            assertTrue(connected.getSessionPresent(), "session present after the restart");
            await().atMost(WAIT).until(() -> received.containsAll(List.of("before restart", "after restart")));
        } finally {
            close(again);
        }
    }
}
