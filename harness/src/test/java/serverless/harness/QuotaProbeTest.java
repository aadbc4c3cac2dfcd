package serverless.harness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serverless.harness.Broker.Refusal;
import serverless.harness.BrokerProbe.Finding;
import serverless.harness.broker.TestTls;
import serverless.harness.pki.TestPki;

/**
 * {@link QuotaProbe} against a fake MQTT 3.1.1 broker over TLS whose name no resolver in this JVM knows, as in
 * external mode, where the test JVM resolves through DNS and the suite's own brokers have test names: the probe
 * reaches the broker at its address, sends the name as SNI and checks the certificate against it, finds what the
 * broker refuses, and finds no refusal where it cannot connect.
 */
@CompleteTier
class QuotaProbeTest {

    /** In no hosts file this JVM reads (test-hosts), and in no DNS: a name only the examples' hosts files know. */
    private static final String HOST = "unresolvable.emqxsl.test";

    @TempDir
    static Path folder;
    private static TestPki pki;
    private static SSLContext trust;
    private static Path hostsFile;

    @BeforeAll
    static void pkiAndHostsFileForAnUnresolvableName() throws Exception {
        pki = TestPki.generate(folder.resolve("pki"), HOST);
        trust = TestTls.trusting(pki.caCertificate());
        hostsFile = HostsFile.write(folder.resolve("hosts"), "127.0.0.1", HOST);
        assertThrows(UnknownHostException.class, () -> InetAddress.getByName(HOST), "the test needs a name this JVM cannot resolve");
    }

    @Test
    void aBrokerWithServerlessQuotasIsFoundToRefuseAllThreeAtItsAddressUnderItsName() throws Exception {
        try (FakeBroker fake = new FakeBroker(1024, 10, 10)) {
            Map<Refusal, Finding> found = QuotaProbe.probe(brokerAt(HOST, fake.port()), trust);

            assertEquals(new Finding(true, "QoS 1 messages published faster than 10 a second by one client (10 of a burst"
                    + " of 30 came back)"), found.get(Refusal.PUBLISHES_OVER_RATE));
            assertEquals(new Finding(true, "a client id of 1100 characters (CONNACK: identifier rejected)"),
                    found.get(Refusal.LONG_CLIENT_ID));
            assertEquals(new Finding(true, "a subscription to a topic filter of 11 levels (SUBACK: failure)"),
                    found.get(Refusal.DEEP_TOPIC_FILTER));
            assertEquals(List.of(HOST, HOST, HOST), fake.serverNames, "each probe's SNI");
        }
    }

    @Test
    void aBrokerWithoutThemIsFoundToRefuseNone() throws Exception {
        try (FakeBroker fake = new FakeBroker(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)) {
            Map<Refusal, Finding> found = QuotaProbe.probe(brokerAt(HOST, fake.port()), trust);

            assertEquals(new Finding(false, "QoS 1 messages published faster than 10 a second by one client (all 30 of a"
                    + " burst came back)"), found.get(Refusal.PUBLISHES_OVER_RATE));
            assertEquals(new Finding(false, "a client id of 1100 characters (the connection was accepted)"),
                    found.get(Refusal.LONG_CLIENT_ID));
            assertEquals(new Finding(false, "a subscription to a topic filter of 11 levels (SUBACK: granted QoS 1)"),
                    found.get(Refusal.DEEP_TOPIC_FILTER));
        }
    }

    /** Nothing listens: no refusal is found, and the finding says why. */
    @Test
    void aBrokerThatCannotBeReachedIsFoundToRefuseNothing() {
        Map<Refusal, Finding> found = QuotaProbe.probe(brokerAt(HOST, FaultFixtures.closedPort()), trust);

        assertAll(found.values().stream().map(finding -> () -> {
            assertFalse(finding.refused(), finding.observed());
            assertTrue(finding.observed().contains("(could not be probed: java.net.ConnectException"), finding.observed());
        }));
    }

    /** The certificate is checked against the broker's name: one for another name is no connection, so no refusal. */
    @Test
    void aCertificateForAnotherNameIsNoConnection() throws Exception {
        try (FakeBroker fake = new FakeBroker(1024, 10, 10)) {
            Map<Refusal, Finding> found = QuotaProbe.probe(brokerAt(HostsFile.OTHER_HOST, fake.port()), trust);

            assertAll(found.values().stream().map(finding -> () -> {
                assertFalse(finding.refused(), finding.observed());
                assertTrue(finding.observed().contains("No subject alternative DNS name matching " + HostsFile.OTHER_HOST),
                        finding.observed());
            }));
            assertEquals(List.of(), fake.connects, "no CONNECT may have been sent");
        }
    }

    /** The broker as external mode describes it from MQTT_* variables; its address comes from the hosts file. */
    private static Broker brokerAt(String host, int port) {
        return ExternalBroker.fromEnvironment(Map.of("MQTT_HOST", host, "MQTT_PORT", String.valueOf(port),
                "MQTT_USERNAME", "probe-user", "MQTT_PASSWORD", "probe-password"), Optional.of(hostsFile));
    }

    /**
     * Accepts every user; refuses a client id longer than {@code longestClientId} with CONNACK return code 2; refuses
     * a subscription to a filter of more than {@code deepestFilter} levels with SUBACK 0x80; of each client's QoS 1
     * PUBLISHes, acknowledges all and delivers the first {@code delivered} to its subscription (Serverless, to an MQTT
     * 3.1.1 client over the rate: acknowledged and dropped). Records each connection's SNI and CONNECT.
     */
    private static final class FakeBroker implements AutoCloseable {

        final List<String> serverNames = new CopyOnWriteArrayList<>();
        final List<String> connects = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final int longestClientId;
        private final int delivered;
        private final int deepestFilter;

        FakeBroker(int longestClientId, int delivered, int deepestFilter) throws Exception {
            this.longestClientId = longestClientId;
            this.delivered = delivered;
            this.deepestFilter = deepestFilter;
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
                keys.load(in, pki.keyStorePassword());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, pki.keyStorePassword());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            server = tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread connection = new Thread(() -> serve((SSLSocket) socket), "fake-broker-connection");
                        connection.setDaemon(true);
                        connection.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "fake-broker");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(SSLSocket socket) {
            try (socket) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames()
                        .forEach(name -> serverNames.add(((SNIHostName) name).getAsciiName()));
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                byte[] connect = body(in, 1);
                int at = 2 + 4 + 1 + 1 + 2; // protocol name, level, flags, keep alive
                String clientId = string(connect, at);
                connects.add(clientId);
                boolean accepted = clientId.length() <= longestClientId;
                out.write(new byte[] {0x20, 2, 0, (byte) (accepted ? 0 : 2)});
                out.flush();
                int publishes = 0;
                while (accepted) {
                    int first = in.readUnsignedByte();
                    byte[] body = body(in);
                    switch (first >> 4) {
                        case 8 -> { // SUBSCRIBE of one filter: its SUBACK
                            long levels = string(body, 2).chars().filter(c -> c == '/').count() + 1;
                            byte granted = levels > deepestFilter ? (byte) 0x80 : body[body.length - 1];
                            out.write(new byte[] {(byte) 0x90, 3, body[0], body[1], granted});
                        }
                        case 3 -> { // PUBLISH at QoS 1: its PUBACK, and back to the subscription while within the limit
                            int topicEnd = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF);
                            out.write(new byte[] {0x40, 2, body[topicEnd], body[topicEnd + 1]});
                            if (++publishes <= delivered) {
                                ByteArrayOutputStream publish = new ByteArrayOutputStream();
                                publish.write(0x32);
                                publish.write(body.length); // under 128: one byte
                                publish.write(body, 0, topicEnd);
                                publish.write(new byte[] {0, (byte) publishes});
                                publish.write(body, topicEnd + 2, body.length - topicEnd - 2);
                                out.write(publish.toByteArray());
                            }
                        }
                        case 14 -> accepted = false; // DISCONNECT
                        default -> { } // the client's PUBACKs
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away, or refused the certificate: what some of these tests are for
            }
        }

        /** The body of the next packet, which must be of {@code type}. */
        private static byte[] body(DataInputStream in, int type) throws IOException {
            int first = in.readUnsignedByte();
            if (first >> 4 != type) {
                throw new IOException("expected packet type " + type + ", got " + (first >> 4));
            }
            return body(in);
        }

        private static byte[] body(DataInputStream in) throws IOException {
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = in.readUnsignedByte();
                length |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            return body;
        }

        private static String string(byte[] body, int at) {
            int length = (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
            return new String(Arrays.copyOfRange(body, at + 2, at + 2 + length), UTF_8);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
