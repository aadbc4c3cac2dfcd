package serverless.examples.paho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttToken;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectingV5CallbackTest {

    /**
     * Any PUBACK reason code of 0x80 or more ends the run at once with that code (0x87 from the ACL, 0x90, 0x99, 0x80,
     * as well as 0x97 from the rate): otherwise the message would only fail to come back, 20 s later.
     */
    @ParameterizedTest(name = "PUBACK 0x{0}")
    @ValueSource(ints = {0x80, 0x87, 0x90, 0x97, 0x99})
    void aPubackThatRefusesTheMessageEndsTheRunWithItsReasonCode(int reasonCode) {
        RoundTrip roundTrip = new RoundTrip("paho-v5-00000000", 2);
        try (ReconnectingV5Callback callback = new ReconnectingV5Callback(null, new MqttConnectionOptions(), "t",
                roundTrip)) {
            callback.deliveryComplete(puback(2, reasonCode));
        }

        RoundTrip.Refused refused = assertThrows(RoundTrip.Refused.class, roundTrip::awaitAllAcknowledged);
        assertEquals(2, refused.message);
        assertEquals(reasonCode, refused.reasonCode);
    }

    /** The token Paho completes with the PUBACK of message {@code i}: its number as context, and the reason code. */
    private static MqttToken puback(int i, int reasonCode) {
        MqttToken token = new MqttToken("paho-v5-00000000") {
            @Override
            public int[] getReasonCodes() {
                return new int[] {reasonCode};
            }
        };
        token.setUserContext(i);
        return token;
    }

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
