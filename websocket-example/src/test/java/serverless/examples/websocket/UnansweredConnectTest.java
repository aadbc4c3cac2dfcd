package serverless.examples.websocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.lang.reflect.Proxy;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/**
 * A first connect whose CONNECT went unanswered after TLS and the WebSocket upgrade says so, for both clients; one
 * whose TLS never completed keeps the line that it timed out.
 */
class UnansweredConnectTest {

    private static final ExampleSettings SETTINGS = ExampleSettings.from(Map.of(
            "MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret"),
            "paho-ws");
    private static final String LINE = "The server accepted the connection (TLS and the WebSocket upgrade completed) but"
            + " never answered the MQTT CONNECT within 10 s. Usually the deployment is starting or overloaded";

    @Test
    void pahoTimedOutAfterTlsCompleted() {
        String line = Failures.describe(new UnansweredConnect(
                new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT)), SETTINGS);

        assertTrue(line.startsWith(LINE), line);
        assertFalse(line.contains("timed out"), line);
    }

    @Test
    void theHiveMqClientsOwnConnackTimeout() {
        // Its CONNACK timeout starts once TLS and the upgrade are done; it reports a DISCONNECT it sent itself.
        Mqtt5Disconnect disconnect = (Mqtt5Disconnect) Proxy.newProxyInstance(Mqtt5Disconnect.class.getClassLoader(),
                new Class<?>[] {Mqtt5Disconnect.class}, (proxy, method, args) ->
                        method.getName().equals("getReasonCode") ? Mqtt5DisconnectReasonCode.PROTOCOL_ERROR : null);

        String line = Failures.describe(new Mqtt5DisconnectException(disconnect, "Timeout while waiting for CONNACK"),
                SETTINGS);

        assertTrue(line.startsWith(LINE), line);
    }

    @Test
    void pahoTimedOutBeforeTlsCompletedStillTimedOut() {
        MqttException timeout = new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        Exception failure = UnansweredConnect.from(timeout, timeout.getReasonCode(),
                new PahoSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault())); // no handshake completed

        assertSame(timeout, failure);
        assertTrue(Failures.describe(failure, SETTINGS).startsWith("The connection timed out"));
    }
}
