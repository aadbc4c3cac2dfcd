package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the example knows that a first connect without a CONNACK had got through TLS, which neither the connector nor
 * vertx-mqtt says: TCP and TLS have bounds that end before the 10 s for the CONNACK, and vertx-mqtt fails a connect
 * whose connection closed before its CONNACK with "Closed" (what its keep-alive does to an unanswered CONNECT).
 */
class UnansweredConnectTest {

    /** The example's bound on the first CONNACK, as every example's in this repository. */
    private static final Duration CONNACK_BOUND = Duration.ofSeconds(10);

    @Test
    void theLineSaysTheServerNeverAnsweredAndWhatThatUsuallyMeansNotThatTheNetworkTimedOut() {
        String line = Failures.describe(new UnansweredConnect(new SocketTimeoutException("no CONNACK within 10 s")),
                "abc.ala.us-east-1.emqxsl.com", "quarkus-3f2a9c1d");

        assertTrue(line.startsWith("The server accepted the connection (TLS completed) but never answered the MQTT"
                + " CONNECT within 10 s. Usually the deployment is starting or overloaded"), line);
        assertFalse(line.contains("timed out"), line);
    }

    @Test
    void tcpAndTlsHaveBoundsThatEndBeforeTheConnacksSoATimeoutCameAfterTls() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = UnansweredConnectTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Duration tcp = Duration.ofSeconds(Long.parseLong(
                properties.getProperty("mp.messaging.connector.smallrye-mqtt.connect-timeout-seconds")));
        Duration tls = Duration.parse("PT" + properties.getProperty("quarkus.tls.mqtt.handshake-timeout"));

        assertTrue(tcp.plus(tls).compareTo(CONNACK_BOUND) < 0, "TCP " + tcp + " and TLS " + tls + " together");
    }

    @Test
    void aConnectionClosedBeforeItsConnackFailsTheConnectWithClosedAndOnlyThat() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().read(new byte[64]); // the CONNECT, left unanswered
                } catch (IOException e) {
                    // the client went first
                }
            });
            closer.setDaemon(true);
            closer.start();
            MqttClient client = MqttClient.create(vertx, new MqttClientOptions());

            ExecutionException failed = assertThrows(ExecutionException.class, () -> client
                    .connect(server.getLocalPort(), "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));

            assertTrue(UnansweredConnect.closedBeforeConnack(failed), "vertx-mqtt's failure: " + failed.getCause());
            assertFalse(UnansweredConnect.closedBeforeConnack(new ExecutionException(
                    new SslHandshakeTimeoutException("handshake timed out after 4000ms"))));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
