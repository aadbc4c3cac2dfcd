package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.mqtt.session.ConstantReconnectDelayOptions;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSession;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bound on a reconnect's CONNACK, which the connector has no setting of its own for (application.properties,
 * {@code keep-alive-seconds}, says why): vertx-mqtt 4.5 starts its keep-alive as soon as TCP and TLS are up, before
 * the CONNACK. After a keep-alive interval without a write it sends a PINGREQ, and when no PINGRESP has come 1.5
 * intervals later it closes the connection; the connector's session then tries again after its reconnect interval.
 * So a CONNECT that nobody answers is given up 2.5 keep-alive intervals after it was sent. These tests pin that on
 * the connector's own session (smallrye-reactive-messaging-mqtt 4.33.0), so that an upgrade which changes it fails
 * here, not in a user's run; RestartIT proves it on the example against the local broker.
 */
class ConnackBoundTest {

    private static final String KEEP_ALIVE = "mp.messaging.connector.smallrye-mqtt.keep-alive-seconds";
    /** The example's bound on a reconnect's CONNACK, as every example's in this repository. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void theConfiguredKeepAliveGivesAnUnansweredConnectUpWithinTheBound() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ConnackBoundTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        int keepAliveSeconds = Integer.parseInt(properties.getProperty(KEEP_ALIVE));
        Duration givenUpAfter = Duration.ofMillis(keepAliveSeconds * 2_500L); // the interval, then 1.5 more
        assertTrue(keepAliveSeconds > 0 && givenUpAfter.compareTo(BOUND) <= 0,
                KEEP_ALIVE + "=" + keepAliveSeconds + " gives an unanswered CONNECT up after " + givenUpAfter);
    }

    @Test
    void aConnectThatGetsNoConnackIsClosedAfterTwoAndAHalfKeepAlivesAndTriedAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (SilentServer server = new SilentServer()) {
            MqttClientSession session = MqttClientSession.create(vertx, new MqttClientSessionOptions()
                    .setHostname("127.0.0.1")
                    .setPort(server.port())
                    .setClientId("no-connack")
                    .setCleanSession(false)
                    .setKeepAliveInterval(1) // the shortest there is: given up after 2.5 s
                    .setReconnectDelay(new ConstantReconnectDelayOptions().setDelay(Duration.ofMillis(100))));
            session.start();
            try {
                assertTrue(server.secondAttempt.await(15, TimeUnit.SECONDS), "a second attempt after the unanswered one");
                Connection first = server.connections.get(0);
                assertTrue(first.closed.await(5, TimeUnit.SECONDS), "the first connection closed by the client");
                Duration open = Duration.ofNanos(first.closedAt - first.acceptedAt);
                // Not at once (the accept may come a little after the CONNECT's write), and well within the bound.
                assertTrue(open.compareTo(Duration.ofSeconds(2)) >= 0 && open.compareTo(Duration.ofSeconds(8)) <= 0,
                        "the unanswered connection was open for " + open.toMillis() + " ms");
                byte[] sent = first.received.toByteArray();
                assertTrue(sent.length > 0 && sent[0] == 0x10, "a CONNECT first");
                assertTrue(endsWithPingreq(sent), "then the PINGREQ whose missing answer ended the attempt");
            } finally {
                session.stop();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static boolean endsWithPingreq(byte[] sent) {
        int n = sent.length;
        return n >= 4 && (sent[n - 2] & 0xFF) == 0xC0 && sent[n - 1] == 0; // PINGREQ: 0xC0, remaining length 0
    }

    /** What one connection to the silent server brought: when it came and ended, and the bytes the client sent. */
    private static final class Connection {
        final long acceptedAt = System.nanoTime();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile long closedAt;
    }

    /** Accepts connections and never answers: as a deployment that is restarting may treat a CONNECT. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Connection> connections = new CopyOnWriteArrayList<>();
        final CountDownLatch secondAttempt = new CountDownLatch(2);

        SilentServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket accepted = socket.accept();
                        Connection connection = new Connection();
                        connections.add(connection);
                        secondAttempt.countDown();
                        Thread reader = new Thread(() -> readUntilClosed(accepted, connection));
                        reader.setDaemon(true);
                        reader.start();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private static void readUntilClosed(Socket accepted, Connection connection) {
            try (accepted) {
                InputStream in = accepted.getInputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    connection.received.write(b);
                }
            } catch (IOException reset) {
                // closed by the client all the same
            }
            connection.closedAt = System.nanoTime();
            connection.closed.countDown();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
