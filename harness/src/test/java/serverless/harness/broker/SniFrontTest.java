package serverless.harness.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import serverless.harness.broker.HandshakeRefusal.Reason;
import serverless.harness.pki.TestPki;

/** The SNI front on its own, in front of a plain JDK TLS server: no broker needed, so these are fast. */
@Timeout(10)
class SniFrontTest {

    private static final String HOST = "deployment.emqxsl.test";

    @TempDir
    static Path dir;
    static Path ca;
    static TlsFaultServer backend;
    static final List<HandshakeRefusal> refusals = new CopyOnWriteArrayList<>();
    static SniFront front;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.generate(dir, HOST);
        ca = pki.caCertificate();
        backend = TlsFaultServer.withKeyStore(pki.serverKeyStore(), pki.keyStorePassword());
        front = SniFront.start(Transport.TCP, HOST, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                backend.port()), Duration.ofMillis(300), refusals::add);
    }

    @AfterAll
    static void stop() throws IOException {
        front.close();
        backend.close();
    }

    @Test
    void theRightSniGoesThroughAndTheHandshakeIsTheBackendsOwn() throws Exception {
        int before = backend.connections();
        try (SSLSocket socket = TestTls.handshake(ca, HOST, front.port(), null, true)) {
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
        }
        assertEquals(before + 1, backend.connections());
    }

    @Test
    void anotherSniIsRefusedAtTheHandshake() {
        IOException refused = assertThrows(IOException.class,
                () -> TestTls.handshake(ca, "other.emqxsl.test", front.port(), null, false).close());
        assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        awaitRefusal(Reason.WRONG_SNI, "other.emqxsl.test");
    }

    @Test
    void noSniIsRefusedAtTheHandshake() {
        assertThrows(IOException.class, () -> TestTls.handshake(ca, "127.0.0.1", front.port(), null, false).close());
        awaitRefusal(Reason.NO_SNI, "");
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheBound() throws Exception {
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), front.port())) {
            silent.setSoTimeout(5_000);
            assertEquals(-1, silent.getInputStream().read(), "closed by the front");
        }
        awaitRefusal(Reason.TIMEOUT, "");
    }

    @Test
    void aStoppedBackendEndsTheHandshake() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        List<HandshakeRefusal> own = new CopyOnWriteArrayList<>();
        try (SniFront orphan = SniFront.start(Transport.WEBSOCKET, HOST,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), Duration.ofSeconds(5), own::add)) {
            assertThrows(IOException.class, () -> TestTls.handshake(ca, HOST, orphan.port(), null, true).close());
            await().atMost(Duration.ofSeconds(5)).until(() -> own.stream().anyMatch(r ->
                    r.reason() == Reason.BROKER_UNAVAILABLE && r.sniHostname().equals(HOST)
                            && r.transport() == Transport.WEBSOCKET));
        }
    }

    private static void awaitRefusal(Reason reason, String sni) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertTrue(refusals.stream().anyMatch(r ->
                r.reason() == reason && r.sniHostname().equals(sni) && r.remoteAddress() != null),
                () -> "no " + reason + " refusal in " + refusals));
    }
}
