package serverless.harness.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static serverless.harness.broker.LocalBrokerFixture.HOST;
import static serverless.harness.broker.LocalBrokerFixture.WAIT;
import static serverless.harness.broker.LocalBrokerFixture.client;
import static serverless.harness.broker.LocalBrokerFixture.close;
import static serverless.harness.broker.LocalBrokerFixture.unique;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serverless.harness.HostsFile;
import serverless.harness.CompleteTier;
import serverless.harness.TestBed;
import serverless.harness.TestBedExtension;
import serverless.harness.Transport;
import serverless.harness.broker.HandshakeRefusal.Reason;

/**
 * The embedded broker as the examples meet it: the run's one local broker ({@link LocalBrokerFixture}), shared with
 * the other suites, on client ids and topics of its own. What it keeps across a restart is checked by
 * {@link QueuedSession}, on RestartIT's restart. Skipped against your own deployment, as the fixture says why.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one fixture for all the methods, made in @BeforeAll
@Timeout(20)
class LocalBrokerIT {

    private static final String OTHER_HOST = HostsFile.OTHER_HOST;

    private LocalBrokerFixture local;
    private LocalBroker broker;

    @BeforeAll
    void useTheRunsLocalBroker(TestBed bed) throws Exception {
        local = LocalBrokerFixture.of(bed);
        broker = local.broker();
    }

    /**
     * A few seconds on an idle machine (3 to 5 s measured), and it has to be, for the quick start. The bound is
     * for a start that hangs (HiveMQ does with too few open files): the broker starts while the suites that need
     * none run beside it, which on one CPU stretched its start to 17 s.
     */
    @Test
    void startsInAFewSecondsOnPublicPortsOtherThanTheStandardOnes() {
        assertTrue(broker.startupTime().compareTo(Duration.ofSeconds(30)) < 0, "took " + broker.startupTime());
        assertEquals(HOST, broker.host());
        assertEquals("/mqtt", broker.wsPath());
        assertFalse(List.of(1883, 8883, 8083, 8084).contains(broker.tlsPort()));
        assertFalse(isListening(1883), "no plaintext MQTT listener");
    }

    @Test
    void theRightUserConnectsOverTlsAndARoundTripIsRecorded() throws Exception {
        String clientId = unique("round-trip");
        String topic = "harness-test/" + clientId;
        roundTrip(local.client(clientId), local.options(), topic, "hello");
        ConnectionRecord connection = onlyConnectionOf(clientId);
        assertEquals(local.user(), connection.username());
        assertEquals(HOST, connection.sniHostname(), "the broker behind the front still sees the SNI");
        assertEquals(Transport.TLS, connection.transport());
        assertEquals("3.1.1", connection.mqttVersion());
        assertTrue(connection.accepted());
        assertEquals("SUCCESS", connection.reasonCode());
        assertTrue(broker.publishes().stream().anyMatch(p -> p.clientId().equals(clientId) && p.topic().equals(topic)
                && p.qos() == 1), () -> "no PUBLISH recorded in " + broker.publishes());
        assertFalse(broker.connections().toString().contains(local.password()), "records never hold the password");
    }

    @Test
    void aWrongPasswordIsRefusedWithBadUserNameOrPassword() {
        String clientId = unique("wrong-password");
        MqttException refused = assertThrows(MqttException.class, () -> connect(clientId, local.user(), "wrong"));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode()); // CONNACK 4
        assertEquals("BAD_USER_NAME_OR_PASSWORD", onlyConnectionOf(clientId).reasonCode());
        assertFalse(onlyConnectionOf(clientId).accepted());
    }

    @Test
    void anUnknownUserIsRefusedWithNotAuthorized() {
        String clientId = unique("unknown-user");
        MqttException refused = assertThrows(MqttException.class, () -> connect(clientId, "nobody", local.password()));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode()); // CONNACK 5
        assertEquals("NOT_AUTHORIZED", onlyConnectionOf(clientId).reasonCode());
    }

    @Test
    void anonymousClientsAreRefused() {
        String anonymous = unique("anonymous");
        MqttException refused = assertThrows(MqttException.class, () -> connect(anonymous, null, null));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode());
        assertEquals("", onlyConnectionOf(anonymous).username());

        String noPassword = unique("no-password");
        refused = assertThrows(MqttException.class, () -> connect(noPassword, local.user(), null));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode());
    }

    @ParameterizedTest(name = "MQTT 5: {0} / {1} -> 0x{2}")
    @CsvSource({
        "the user, right, 00",
        "the user, wrong, 86",
        "nobody, right, 87",
        "the user, , 86",
        ", , 86",
    })
    void mqtt5ReasonCodesAreThoseOfEmqx(String userGiven, String password, String expectedHex) throws Exception {
        String user = "the user".equals(userGiven) ? local.user() : userGiven;
        String given = "right".equals(password) ? local.password() : password;
        try (RawMqtt client = local.rawMqtt(RawMqtt.V5)) {
            assertEquals(Integer.parseInt(expectedHex, 16), client.connect(unique("mqtt5"), user, given, true).reasonCode());
        }
    }

    @Test
    void aHandshakeWithoutSniIsRefusedBeforeAnyMqtt() throws Exception {
        // The JDK sends no SNI to an IP address; host name verification is off in this test client only.
        IOException refused = assertThrows(IOException.class,
                () -> TestTls.handshake(local.ca(), "127.0.0.1", broker.tlsPort(), null, false).close());
        assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.refusedHandshakes().stream().anyMatch(r ->
                r.reason() == Reason.NO_SNI && r.sniHostname().isEmpty() && r.transport() == Transport.TLS),
                () -> "no NO_SNI refusal in " + broker.refusedHandshakes()));
    }

    @Test
    void aHandshakeWithAnotherNameAsSniIsRefusedBeforeAnyMqtt() {
        String clientId = unique("wrong-sni");
        MqttClient client = client("ssl://" + OTHER_HOST + ":" + broker.tlsPort(), clientId);
        MqttConnectOptions options = local.options();
        options.setHttpsHostnameVerificationEnabled(false); // so that only the SNI check can refuse it
        try {
            MqttException refused = assertThrows(MqttException.class, () -> client.connect(options));
            assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        } finally {
            close(client);
        }
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.refusedHandshakes().stream().anyMatch(r ->
                r.reason() == Reason.WRONG_SNI && r.sniHostname().equals(OTHER_HOST)),
                () -> "no WRONG_SNI refusal in " + broker.refusedHandshakes()));
        assertTrue(broker.connections().stream().noneMatch(c -> c.clientId().equals(clientId)), "no MQTT happened");
    }

    @Test
    void theSniCheckIgnoresCase() throws Exception {
        try (SSLSocket socket = TestTls.handshake(local.ca(), HOST, broker.tlsPort(), "Deployment.EMQXSL.test", true)) {
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
        }
    }

    @Test
    void plaintextMqttToTheTlsPortIsDropped() {
        String clientId = unique("plaintext");
        MqttClient client = client("tcp://" + HOST + ":" + broker.tlsPort(), clientId);
        try {
            MqttConnectOptions options = local.options();
            options.setSocketFactory(null);
            assertThrows(MqttException.class, () -> client.connect(options));
        } finally {
            close(client);
        }
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.refusedHandshakes().stream().anyMatch(r ->
                r.reason() == Reason.NOT_TLS), () -> "no NOT_TLS refusal in " + broker.refusedHandshakes()));
        assertTrue(broker.connections().stream().noneMatch(c -> c.clientId().equals(clientId)));
    }

    @ParameterizedTest(name = "client offers {0}")
    @CsvSource({"TLS, TLSv1.3", "TLSv1.2, TLSv1.2"})
    void webSocketOnMqttPathWorksAndTheBrokerSeesTheClientsSniAndTlsVersion(String offered, String agreed)
            throws Exception {
        // The WebSocket front terminates TLS to check the path; its own leg to HiveMQ repeats the client's.
        String clientId = unique("wss");
        MqttConnectOptions options = local.options();
        options.setSocketFactory(TestTls.trusting(local.ca(), offered).getSocketFactory());
        roundTrip(client("wss://" + HOST + ":" + broker.wssPort() + "/mqtt", clientId), options,
                "harness-test/" + clientId, "over wss");
        ConnectionRecord connection = onlyConnectionOf(clientId);
        assertEquals(Transport.WSS, connection.transport());
        assertEquals(HOST, connection.sniHostname());
        assertEquals(agreed, connection.tlsProtocol());
        assertTrue(connection.accepted());
    }

    @Test
    void webSocketOnAnotherPathFailsAtOnce() {
        String clientId = unique("wss-wrong-path");
        MqttClient client = client("wss://" + HOST + ":" + broker.wssPort() + "/wrong", clientId);
        long started = System.nanoTime();
        try {
            MqttException refused = assertThrows(MqttException.class, () -> client.connect(local.options()));
            // Paho's words for an upgrade answered with anything but 101; the examples look for them.
            assertTrue(TestTls.chain(refused).contains("WebSocket Response header"), TestTls.chain(refused));
        } finally {
            close(client);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took + " (Paho's own timeout is 5 s)");
        assertTrue(broker.connections().stream().noneMatch(c -> c.clientId().equals(clientId)));
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.refusedHandshakes().stream().anyMatch(r ->
                r.reason() == Reason.WRONG_WEBSOCKET_PATH && r.sniHostname().equals(HOST)
                        && r.transport() == Transport.WSS),
                () -> "no WRONG_WEBSOCKET_PATH refusal in " + broker.refusedHandshakes()));
    }

    @Test
    void aWrongWebSocketPathGetsHttp404WithinASecond() throws Exception {
        try (SSLSocket socket = TestTls.handshake(local.ca(), HOST, broker.wssPort(), null, true)) {
            socket.setTcpNoDelay(true); // so that the time below is the front's, not Nagle's
            long sent = System.nanoTime();
            socket.getOutputStream().write(("GET /wrong HTTP/1.1\r\nHost: " + HOST + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] answer = socket.getInputStream().readAllBytes(); // up to the close that follows the answer
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            System.out.println("[LocalBrokerIT] 404 and close after " + took.toNanos() / 1_000 + " µs");
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n"), text);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
        }
    }

    @Test
    void theWebSocketPortChecksSniToo() throws Exception {
        assertThrows(IOException.class,
                () -> TestTls.handshake(local.ca(), "127.0.0.1", broker.wssPort(), null, false).close());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.refusedHandshakes().stream().anyMatch(r ->
                r.reason() == Reason.NO_SNI && r.transport() == Transport.WSS)));
    }

    /** The second pair of ports speaks TLS 1.2 only, the WSS one too, where the front terminates TLS itself. */
    @Test
    void theTls12PortsAgreeOnTls12AndTheBrokerRecordsIt() throws Exception {
        for (String uri : List.of("ssl://" + HOST + ":" + broker.tls12TlsPort(),
                "wss://" + HOST + ":" + broker.tls12WssPort() + "/mqtt")) {
            String clientId = unique("tls12");
            MqttClient client = client(uri, clientId);
            try {
                client.connect(local.options());
                client.disconnect(2_000);
            } finally {
                client.close(true);
            }
            ConnectionRecord connection = broker.connections().stream().filter(c -> c.clientId().equals(clientId))
                    .findFirst().orElseThrow(() -> new AssertionError("no CONNECT over " + uri + " in " + broker.connections()));
            assertEquals("TLSv1.2", connection.tlsProtocol(), uri);
            assertEquals(HOST, connection.sniHostname(), uri);
        }
    }

    @Test
    void aTls13OnlyClientIsRefusedOnTheTls12Ports() {
        for (int port : new int[] {broker.tls12TlsPort(), broker.tls12WssPort()}) {
            IOException refused = assertThrows(IOException.class,
                    () -> TestTls.handshake(local.ca(), HOST, port, null, true, List.of("TLSv1.3")).close());
            assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        }
    }

    /**
     * A held client's first PUBLISHes go through at once; after them, only one a quarter of a second, so it
     * can neither finish nor stall; released, the rest go through at once.
     */
    @Test
    void heldPublishesTrickleUntilReleased() throws Exception {
        String clientId = unique("held");
        MqttClient client = local.client(clientId);
        // Its 12 PUBLISHes come within about a second, at the edge of Serverless' 10 a second, and an MQTT 3.1.1
        // client is not told when one is dropped for that: the test is about the hold, so the rate is lifted.
        broker.liftPublishRate(List.of(clientId));
        broker.holdPublishes(java.util.Set.of(clientId), 2);
        try {
            client.connect(local.options());
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                client.publish("held/" + clientId, new MqttMessage(("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(held.compareTo(PublishHold.TRICKLE.multipliedBy(3)) >= 0,
                    "4 held QoS 1 PUBLISHes, one let through a quarter second, took only " + held.toMillis() + " ms");

            broker.releasePublishes();
            start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                client.publish("held/" + clientId, new MqttMessage(("n" + i).getBytes(StandardCharsets.UTF_8)));
            }
            Duration released = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(released.compareTo(PublishHold.TRICKLE.multipliedBy(6)) < 0, // held, they would take 1.5 s
                    "after the release 6 PUBLISHes took " + released.toMillis() + " ms");
            client.disconnect(2_000);
        } finally {
            broker.releasePublishes();
            client.close(true);
        }
    }

    /**
     * The deployment's ACL, applied as EMQX applies a denial with its default deny action (ignore): the user may
     * subscribe under serverless-examples/read-only/ but not publish there. A QoS 1 PUBLISH there gets PUBACK 0x87 over
     * MQTT 5, a plain PUBACK over MQTT 3.1.1 (which has no reason codes), is not delivered, and the connection stays up.
     */
    @ParameterizedTest(name = "MQTT {0}: PUBACK {1}")
    @CsvSource({"5, 135", "3.1.1, -1"}) // 0x87 not authorized; -1: no reason code
    void aPublishTheAclDeniesIsAcknowledgedAsEmqxDoesAndNotDelivered(String mqtt, int puback) throws Exception {
        String clientId = unique("read-only");
        String readOnly = ReadOnlyTopics.PREFIX + clientId;
        String writable = "harness-test/" + clientId;
        try (RawMqtt client = local.rawMqtt(mqtt.equals("5") ? RawMqtt.V5 : RawMqtt.V3_1_1)) {
            client.connect(clientId, local.user(), local.password(), true);
            assertEquals(List.of(1, 1), client.subscribe(1, readOnly, writable), "subscribing is allowed on both");

            assertEquals(List.of(puback), Arrays.stream(client.publishQos1(readOnly, "denied", 1, 1)).boxed().toList());

            // One message on a topic it may publish on, after the denied one: it is the first to come back, on the same
            // connection (the broker delivers one client's messages in the order it took them).
            client.publishQos1Burst(writable, "allowed", 1);
            assertEquals("allowed0", new String(client.acknowledge(nextPublish(client)), StandardCharsets.UTF_8));
        }
    }

    /** The next PUBLISH the broker sends, past the PUBACKs of the client's own. */
    private static RawMqtt.Packet nextPublish(RawMqtt client) throws IOException {
        RawMqtt.Packet packet = client.read();
        while (packet.type() != RawMqtt.PUBLISH) {
            packet = client.read();
        }
        return packet;
    }

    /** Connects, subscribes to {@code topic}, publishes {@code payload} to it at QoS 1, awaits it and leaves. */
    private static void roundTrip(MqttClient client, MqttConnectOptions options, String topic, String payload)
            throws MqttException {
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            client.connect(options);
            client.subscribe(topic, 1, (t, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            await().atMost(WAIT).until(() -> received.contains(payload));
        } finally {
            close(client);
        }
    }

    private void connect(String clientId, String user, String password) throws MqttException {
        MqttClient client = local.client(clientId);
        try {
            client.connect(local.options(user, password));
        } finally {
            close(client);
        }
    }

    private ConnectionRecord onlyConnectionOf(String clientId) {
        List<ConnectionRecord> records = broker.connections().stream().filter(c -> c.clientId().equals(clientId)).toList();
        assertEquals(1, records.size(), () -> "CONNECTs of " + clientId + " in " + broker.connections());
        return records.get(0);
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
