package serverless.examples.paho;

import static org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_CLIENT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first connect that timed out is told apart by whether TLS had completed: a CONNECT that got no answer, or a
 * connection that never got through TLS (the network, a silent port). Paho reports both as the same timeout.
 */
@Timeout(20)
class UnansweredConnectTest {

    private static final ExampleSettings SETTINGS = ExampleSettings.from(Map.of(
            "MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret"),
            "paho");
    /** The connect's bound here, short for the test; Paho's own bound on TCP and TLS is longer, as in the example. */
    private static final long CONNACK_BOUND_MILLIS = 1_500;

    @TempDir
    Path folder;

    @Test
    void aTimeoutAfterTheTlsHandshakeIsAConnectNeverAnswered() throws Exception {
        try (SilentTlsServer server = new SilentTlsServer(folder)) {
            PahoSocketFactory sockets = new PahoSocketFactory(server.clientSockets());

            Exception failure = firstConnect(server.sslUri(), sockets, CONNACK_BOUND_MILLIS);

            assertInstanceOf(UnansweredConnect.class, failure);
        }
    }

    @Test
    void aTimeoutInTheTlsHandshakeStaysATimeout() throws Exception {
        try (SilentServer server = new SilentServer()) { // accepts TCP, never answers the ClientHello
            PahoSocketFactory sockets = new PahoSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault());

            // The handshake never completes, however long the wait: a short one keeps the test short.
            Exception failure = firstConnect(server.tcpUri().replace("tcp://", "ssl://"), sockets, 300);

            assertInstanceOf(MqttException.class, failure);
            assertTrue(Failures.describe(failure, SETTINGS).startsWith("The connection timed out."));
        }
    }

    @Test
    void theLineSaysTheServerNeverAnsweredAndWhatThatUsuallyMeansNotThatTheNetworkTimedOut() {
        String line = Failures.describe(new UnansweredConnect(new MqttException(REASON_CODE_CLIENT_TIMEOUT)), SETTINGS);

        assertTrue(line.startsWith("The server accepted the connection (TLS completed) but never answered the MQTT"
                + " CONNECT within 10 s. Usually the deployment is starting or overloaded"), line);
        assertFalse(line.contains("timed out"), line);
    }

    @Test
    void anyOtherFailureIsLeftAsItIs() {
        MqttException refused = new MqttException(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertSame(refused, UnansweredConnect.from(refused, refused.getReasonCode(), null));
    }

    /** A first connect as the example makes it, waited for as long as {@code boundMillis}: its failure. */
    private static Exception firstConnect(String uri, PahoSocketFactory sockets, long boundMillis) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, "first-connect", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setSocketFactory(sockets);
        options.setConnectionTimeout(10);
        try {
            MqttException timeout = assertThrows(MqttException.class,
                    () -> client.connect(options).waitForCompletion(boundMillis));
            return UnansweredConnect.from(timeout, timeout.getReasonCode(), options.getSocketFactory());
        } finally {
            try {
                client.disconnectForcibly(0, 0, false);
            } catch (MqttException notConnected) {
                // nothing to drop
            }
            client.close(true);
        }
    }
}
