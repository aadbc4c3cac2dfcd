package serverless.examples.paho;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class ReconnectingV5CallbackTest {

    /** As {@link ReconnectingCallbackTest}, with Paho's MQTT 5 client. */
    @Test
    void aReconnectThatGetsNoConnackIsDroppedAndTriedAgain() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            MqttAsyncClient client = new MqttAsyncClient(silent.tcpUri(), "no-connack-v5", new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            try (ReconnectingV5Callback callback = new ReconnectingV5Callback(client, options, "t",
                    new RoundTrip("no-connack-v5", 1), Duration.ofMillis(300), new Backoff(Duration.ofMillis(100)))) {
                client.setCallback(callback);
                callback.disconnected(new MqttDisconnectResponse(new MqttException(32109))); // connection lost

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
