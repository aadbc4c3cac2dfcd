package serverless.examples.vertx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A first connect without its CONNACK at the 10 s bound is a CONNECT the server never answered, since TCP and TLS
 * have shorter bounds of their own: a TLS handshake that gets no answer fails first, as the timeout it is.
 */
class UnansweredConnectTest {

    /** vertx-mqtt logs a failed connect at SEVERE; the example turns that off too. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger VERTX_LOG = java.util.logging.Logger.getLogger("io.vertx");

    static {
        VERTX_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private static final ExampleSettings SETTINGS = ExampleSettings.from(Map.of("MQTT_HOST",
            "abc.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret"), "vertx");

    @Test
    void theLineSaysTheServerNeverAnsweredAndWhatThatUsuallyMeansNotThatTheNetworkTimedOut() {
        // As main() gets it: the connect's failure, wrapped by CompletableFuture.get().
        ExecutionException error = new ExecutionException(new UnansweredConnect(new TimeoutException()));

        String line = Failures.describe(error, SETTINGS);
        assertTrue(line.startsWith("The server accepted the connection (TLS completed) but never answered the MQTT"
                + " CONNECT within 10 s. Usually the deployment is starting or overloaded"), line);
        assertFalse(line.contains("timed out"), line);
    }

    @Test
    @Timeout(15)
    void aTlsHandshakeThatGetsNoAnswerFailsBeforeTheConnectBoundAndStillTimedOut() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (SilentServer server = new SilentServer()) {
            MqttClientOptions options = new MqttClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            ReconnectingSession session = new ReconnectingSession(vertx, options, "localhost", server.port(), "t");
            // The session set the example's 4 s handshake bound on these options; half a second here keeps the test
            // short and proves the same: the handshake's own timeout, not the attempt's 10 s bound, ends it.
            options.setSslHandshakeTimeout(500).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
            long start = System.nanoTime();

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> session.connect().toCompletionStage().toCompletableFuture().get());

            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertFalse(failed.getCause() instanceof UnansweredConnect, "TLS never completed: " + failed.getCause());
            assertTrue(seconds < 10, "ended after " + seconds + " s, not before the connect's own bound");
            assertTrue(Failures.describe(failed, SETTINGS).startsWith("The connection timed out."));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /** Accepts TCP and never says a word: a ClientHello gets no answer. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
