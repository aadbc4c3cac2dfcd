package serverless.harness.broker;

import serverless.harness.Transport;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import serverless.harness.CompleteTier;
import serverless.harness.broker.FakeWebSocketBackend.Connection;
import serverless.harness.broker.HandshakeRefusal.Reason;
import serverless.harness.pki.TestPki;

/**
 * The SNI front on its own, in front of a plain JDK TLS server (the TCP front) or a fake TLS WebSocket listener
 * (the WebSocket front): no broker needed, so these are fast.
 */
@Timeout(10)
class SniFrontTest {

    private static final String HOST = "deployment.emqxsl.test";

    @TempDir
    static Path dir;
    static Path ca;
    static FaultServer backend;
    static final List<HandshakeRefusal> refusals = new CopyOnWriteArrayList<>();
    static SniFront front;
    static TestPki pki;
    static FakeWebSocketBackend wssBackend;
    static SniFront wssFront;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.generate(dir, HOST);
        ca = pki.caCertificate();
        backend = FaultServer.presenting(pki.serverKeyStore(), pki.keyStorePassword());
        front = SniFront.start(Transport.TLS, HOST, loopback(backend.port()), Duration.ofMillis(300), refusals::add);
        wssBackend = FakeWebSocketBackend.start(pki.serverKeyStore(), pki.keyStorePassword());
        wssFront = webSocketFront(List.of());
    }

    @AfterAll
    static void stop() throws IOException {
        front.close();
        backend.close();
        wssFront.close();
        wssBackend.close();
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
        try (SniFront orphan = SniFront.start(Transport.WSS, HOST,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), Duration.ofSeconds(5), own::add)) {
            assertThrows(IOException.class, () -> TestTls.handshake(ca, HOST, orphan.port(), null, true).close());
            await().atMost(Duration.ofSeconds(5)).until(() -> own.stream().anyMatch(r ->
                    r.reason() == Reason.BROKER_UNAVAILABLE && r.sniHostname().equals(HOST)
                            && r.transport() == Transport.WSS));
        }
    }

    @Test
    void whileTheBrokerRestartsNewConnectionsAreRefusedAtOnceThenRelayedAgain() throws Exception {
        List<HandshakeRefusal> own = new CopyOnWriteArrayList<>();
        try (SniFront restarting = SniFront.start(Transport.TLS, HOST, loopback(backend.port()), Duration.ofSeconds(5),
                own::add)) {
            restarting.refuseNewConnections();
            int before = backend.connections();
            assertThrows(IOException.class, () -> TestTls.handshake(ca, HOST, restarting.port(), null, true).close(),
                    "refused although the backend listens");
            await().atMost(Duration.ofSeconds(5)).until(() -> own.stream().anyMatch(r ->
                    r.reason() == Reason.BROKER_UNAVAILABLE && r.sniHostname().equals(HOST)));
            assertEquals(before, backend.connections(), "nothing reached the backend");

            restarting.acceptNewConnections();
            try (SSLSocket socket = TestTls.handshake(ca, HOST, restarting.port(), null, true)) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/wrong", "/", "/mqtt/", "/mqttx", "/MQTT", "/other?path=/mqtt", "https://" + HOST + "/x"})
    void aWebSocketUpgradeOnAnotherPathGets404AtOnceAndIsClosed(String path) throws Exception {
        String marker = UUID.randomUUID().toString();
        try (SSLSocket socket = TestTls.handshake(ca, HOST, wssFront.port(), null, true)) {
            socket.setTcpNoDelay(true); // so that the time below is the front's, not Nagle's (~40 ms after Finished)
            long sent = System.nanoTime();
            socket.getOutputStream().write(upgrade(path, marker));
            String answer = readHead(socket.getInputStream());
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            System.out.println("[SniFrontTest] 404 for " + path + " after " + took.toNanos() / 1_000 + " µs");
            assertTrue(answer.startsWith("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\ndate: "), answer);
            assertTrue(answer.endsWith("\r\nserver: Cowboy\r\n\r\n"), answer);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
            assertEquals(-1, socket.getInputStream().read(), "closed after the 404");
        }
        awaitRefusal(Reason.WRONG_WEBSOCKET_PATH, HOST);
        assertTrue(wssBackend.connections().stream().noneMatch(c -> c.headText().contains(marker)),
                "the request never reached the broker");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theMqttPathGoesToTheBrokerUnchangedWithTheClientsSniAndTlsVersion(String protocol) throws Exception {
        String marker = UUID.randomUUID().toString();
        byte[] request = ("GET /mqtt HTTP/1.1\r\nhOsT: " + HOST + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "X-Marker:  " + marker + " \r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String sni = "Deployment.EMQXSL.test"; // the front lets any case through; the broker must see it as sent
        try (SSLSocket socket = TestTls.handshake(ca, HOST, wssFront.port(), sni, true, List.of(protocol))) {
            assertEquals(protocol, socket.getSession().getProtocol());
            socket.getOutputStream().write(request);
            assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 101 "));
            assertEcho(socket, new byte[] {0x10, 0x02, 0x00, 0x00}); // bytes after the upgrade, both ways
        }
        Connection seen = wssBackend.connections().stream().filter(c -> c.headText().contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no request in " + wssBackend.connections()));
        assertArrayEquals(request, seen.head(), "the request head, byte for byte");
        assertEquals(sni, seen.sni());
        assertEquals(protocol, seen.protocol());
    }

    @Test
    void aTls12OnlyWebSocketFrontAgreesOnTls12AndRefusesATls13OnlyClient() throws Exception {
        try (SniFront tls12 = webSocketFront(List.of("TLSv1.2"))) {
            String marker = UUID.randomUUID().toString();
            try (SSLSocket socket = TestTls.handshake(ca, HOST, tls12.port(), null, true)) {
                assertEquals("TLSv1.2", socket.getSession().getProtocol());
                socket.getOutputStream().write(upgrade("/mqtt", marker));
                assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 101 "));
            }
            assertTrue(wssBackend.connections().stream().anyMatch(c -> c.headText().contains(marker)
                    && c.protocol().equals("TLSv1.2")), () -> "no TLS 1.2 leg in " + wssBackend.connections());
            IOException refused = assertThrows(IOException.class, () ->
                    TestTls.handshake(ca, HOST, tls12.port(), null, true, List.of("TLSv1.3")).close());
            assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        }
    }

    @Test
    void theWebSocketFrontRefusesNoSniBeforeItsHandshake() {
        int accepted = wssBackend.accepted();
        IOException refused = assertThrows(IOException.class,
                () -> TestTls.handshake(ca, "127.0.0.1", wssFront.port(), null, false).close());
        assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        await().atMost(Duration.ofSeconds(5)).until(() -> refusals.stream().anyMatch(r ->
                r.reason() == Reason.NO_SNI && r.transport() == Transport.WSS));
        assertEquals(accepted, wssBackend.accepted(), "the broker never saw it");
    }

    @Test
    void bytesThatAreNotHttpGoToTheBrokerAsBefore() throws Exception {
        try (SSLSocket socket = TestTls.handshake(ca, HOST, wssFront.port(), null, true)) {
            assertEcho(socket, new byte[] {0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T'}); // MQTT to the WSS port
        }
    }

    @Test
    void dropConnectionsClosesEveryRelayedConnectionOnBothSides() throws Exception {
        try (SniFront tcpFront = SniFront.start(Transport.TLS, HOST, loopback(wssBackend.port()), Duration.ofSeconds(5),
                refusals::add);
                SSLSocket tcp = upgraded(tcpFront.port());
                SSLSocket wss1 = upgraded(wssFront.port());
                SSLSocket wss2 = upgraded(wssFront.port())) {
            int endedBefore = wssBackend.ended();
            assertEquals(1, tcpFront.dropConnections());
            assertTrue(wssFront.dropConnections() >= 2);
            for (SSLSocket socket : List.of(tcp, wss1, wss2)) {
                assertEquals(-1, socket.getInputStream().read(), "closed by the front");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> wssBackend.ended() >= endedBefore + 3);
            try (SSLSocket again = upgraded(wssFront.port())) {
                assertEcho(again, new byte[] {1, 2, 3}); // still listening
            }
        }
    }

    @Test
    @CompleteTier // only RestartIT's unanswered reconnect uses it
    void leftUnansweredTheTcpFrontCompletesTlsAndRecordsTheConnectItNeverAnswers() throws Exception {
        List<String> unanswered = new CopyOnWriteArrayList<>();
        try (SniFront tcpFront = SniFront.start(Transport.TLS, HOST, loopback(backend.port()), Duration.ofSeconds(5),
                refusals::add, FrontTls.of(pki.serverKeyStore(), pki.keyStorePassword(), ca, List.of()), unanswered::add)) {
            tcpFront.leaveNewConnectionsUnanswered();
            int before = backend.connections();
            try (SSLSocket socket = TestTls.handshake(ca, HOST, tcpFront.port(), null, true)) {
                socket.getOutputStream().write(connect("tcp-unanswered"));
                await().atMost(Duration.ofSeconds(5)).until(() -> unanswered.contains("tcp-unanswered"));
                assertSilent(socket);
            }
            assertEquals(before, backend.connections(), "nothing reached the backend");
        }
    }

    @Test
    @CompleteTier // only RestartIT's unanswered reconnect uses it
    void leftUnansweredTheWebSocketFrontAnswersTheUpgradeThenNothingAndRecordsTheConnect() throws Exception {
        List<String> unanswered = new CopyOnWriteArrayList<>();
        try (SniFront front = webSocketFront(List.of(), unanswered::add)) {
            front.leaveNewConnectionsUnanswered();
            String marker = UUID.randomUUID().toString();
            try (SSLSocket socket = TestTls.handshake(ca, HOST, front.port(), null, true)) {
                socket.getOutputStream().write(upgrade("/mqtt", marker));
                String answer = readHead(socket.getInputStream()).toLowerCase(Locale.ROOT);
                assertTrue(answer.startsWith("http/1.1 101 switching protocols\r\n"), answer);
                // RFC 6455's own example: this accept value belongs to the key upgrade() sends.
                assertTrue(answer.contains("\r\nsec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n"), answer);
                assertTrue(answer.contains("\r\nsec-websocket-protocol: mqtt\r\n"), answer);
                // The CONNECT split over two frames, as a client may send it; then a ping, which gets no pong either.
                byte[] connect = connect("ws-unanswered");
                OutputStream out = socket.getOutputStream();
                out.write(maskedFrame(0x2, Arrays.copyOfRange(connect, 0, 7)));
                out.write(maskedFrame(0x2, Arrays.copyOfRange(connect, 7, connect.length)));
                out.write(maskedFrame(0x9, new byte[] {'p'}));
                await().atMost(Duration.ofSeconds(5)).until(() -> unanswered.contains("ws-unanswered"));
                assertSilent(socket);
            }
            assertTrue(wssBackend.connections().stream().noneMatch(c -> c.headText().contains(marker)),
                    "the upgrade never reached the broker");

            front.answerNewConnections();
            try (SSLSocket again = upgraded(front.port())) {
                assertEcho(again, new byte[] {1, 2, 3}); // relayed to the broker again
            }
        }
    }

    @Test
    @CompleteTier // only FaultIT's and DoctorIT's first connect never answered uses it
    void withNoBrokerBehindItAFrontLeavesEveryConnectUnansweredAfterTlsAndTheUpgradeAndStillChecksSni()
            throws Exception {
        List<String> unanswered = new CopyOnWriteArrayList<>();
        FrontTls tls = FrontTls.of(pki.serverKeyStore(), pki.keyStorePassword(), ca, List.of());
        try (SniFront tcpFront = SniFront.unanswered(Transport.TLS, HOST, null, tls, unanswered::add);
             SniFront wsFront = SniFront.unanswered(Transport.WSS, HOST, "/mqtt", tls, unanswered::add)) {
            try (SSLSocket socket = TestTls.handshake(ca, HOST, tcpFront.port(), null, true)) {
                socket.getOutputStream().write(connect("first-tcp"));
                await().atMost(Duration.ofSeconds(5)).until(() -> unanswered.contains("first-tcp"));
                assertSilent(socket);
            }
            try (SSLSocket socket = TestTls.handshake(ca, HOST, wsFront.port(), null, true)) {
                socket.getOutputStream().write(upgrade("/mqtt", "first"));
                assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 101 "));
                socket.getOutputStream().write(maskedFrame(0x2, connect("first-ws")));
                await().atMost(Duration.ofSeconds(5)).until(() -> unanswered.contains("first-ws"));
                assertSilent(socket);
            }
            assertThrows(IOException.class, () -> TestTls.handshake(ca, "127.0.0.1", tcpFront.port(), null, false).close(),
                    "a handshake without SNI is refused, as by the deployment");
            assertThrows(IllegalStateException.class, tcpFront::answerNewConnections, "there is no broker to answer");
        }
    }

    private static SniFront webSocketFront(List<String> protocols) throws IOException {
        return webSocketFront(protocols, id -> { });
    }

    private static SniFront webSocketFront(List<String> protocols, Consumer<String> unansweredClientIds) throws IOException {
        return SniFront.startWebSocket(HOST, loopback(wssBackend.port()), "/mqtt",
                FrontTls.of(pki.serverKeyStore(), pki.keyStorePassword(), ca, protocols), Duration.ofSeconds(5),
                refusals::add, unansweredClientIds);
    }

    /** Nothing comes back within half a second: the front neither answers nor closes. */
    private static void assertSilent(SSLSocket socket) throws IOException {
        socket.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "no answer at all");
    }

    /** An MQTT 3.1.1 CONNECT of {@code clientId}, with a user name after it. */
    private static byte[] connect(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0x82, 0, 60, 0, (byte) id.length});
        body.writeBytes(id);
        body.writeBytes(new byte[] {0, 4, 'u', 's', 'e', 'r'});
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // under 128: one byte of remaining length
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** A final WebSocket frame of {@code opcode} from a client, masked as RFC 6455 requires of one. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(0x80 | payload.length); // under 126: the length in one byte
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** A TLS connection through {@code port} that has upgraded to WebSocket on /mqtt. */
    private static SSLSocket upgraded(int port) throws Exception {
        SSLSocket socket = TestTls.handshake(ca, HOST, port, null, true);
        socket.getOutputStream().write(upgrade("/mqtt", "drop"));
        assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 101 "));
        return socket;
    }

    private static byte[] upgrade(String path, String marker) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: mqtt\r\nX-Marker: " + marker + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An HTTP response head, up to and with its empty line (or whatever came before the end). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b; !head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertEcho(SSLSocket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        assertArrayEquals(bytes, socket.getInputStream().readNBytes(bytes.length));
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static void awaitRefusal(Reason reason, String sni) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertTrue(refusals.stream().anyMatch(r ->
                r.reason() == reason && r.sniHostname().equals(sni) && r.remoteAddress() != null),
                () -> "no " + reason + " refusal in " + refusals));
    }
}
