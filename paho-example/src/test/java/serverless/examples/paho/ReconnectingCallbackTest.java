package serverless.examples.paho;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class ReconnectingCallbackTest {

    /**
     * A server that accepts the connection and never answers the CONNECT: Paho would wait for that CONNACK for ever
     * (eclipse-paho/paho.mqtt.java#511), and no second attempt would follow.
     */
    @Test
    void aReconnectThatGetsNoConnackIsDroppedAndTriedAgain() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            MqttAsyncClient client = new MqttAsyncClient(silent.tcpUri(), "no-connack", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(false);
            try (ReconnectingCallback callback = new ReconnectingCallback(client, options, "t",
                    new RoundTrip("no-connack", 1), Duration.ofMillis(300), new Backoff(Duration.ofMillis(100)))) {
                client.setCallback(callback);
                callback.connectionLost(new IOException("dropped")); // as Paho reports a dropped connection

                // The first attempt (0.1 s after the drop) gets no CONNACK; the second follows only if it was given up.
                assertTrue(silent.awaitConnections(2, 10),
                        "a second attempt after the unanswered one; attempts: " + silent.connectionCount());
            } finally {
                try {
                    client.disconnectForcibly(0, 0, false);
                    client.close(true);
                } catch (MqttException e) {
                    // the client is being thrown away
                }
            }
        }
    }
}
