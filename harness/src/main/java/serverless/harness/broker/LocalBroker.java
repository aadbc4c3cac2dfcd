package serverless.harness.broker;

import serverless.harness.Transport;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import serverless.harness.broker.ServerlessLikeExtension.ListenerInfo;
import serverless.harness.pki.TestPki;

/**
 * An embedded HiveMQ CE broker set up like an EMQX Cloud Serverless deployment: TLS-only (MQTT over TLS
 * and MQTT over WebSocket over TLS on {@code /mqtt}), password authentication that answers like EMQX's
 * built-in database, and an SNI check in front that refuses a handshake without the deployment's name.
 *
 * <pre>
 *   client ──► SNI front (public port, 127.0.0.1) ──► HiveMQ TLS listener (internal port, 127.0.0.1)
 * </pre>
 *
 * <p>It enforces Serverless' quotas by default, as EMQX enforces them ({@link Quota}): 10 PUBLISHes a second per
 * connection (each starts with a full bucket), 10 subscriptions per client, 10 levels per subscribed filter, client
 * ids up to 1024 bytes, packets up to 1 MB, and {@value #SESSION_QUEUE_LENGTH} queued messages per session. A test
 * that must publish faster lifts the rate for its own client ids only ({@link #liftPublishRate});
 * {@link #quotaRefusals()} lists what was refused.
 *
 * <p>Sessions are kept in files in a temporary folder, so they survive {@link #restart()}; {@link #close()}
 * stops everything and deletes that folder. Measured here: start about 2 s, stop about 4 s (HiveMQ's fixed
 * shutdown waits), restart about 4.5 s: start one per test run. HiveMQ logs through SLF4J/logback; keep {@code com.hivemq} at WARN.
 */
public final class LocalBroker implements AutoCloseable {

    /** The WebSocket path, as on Serverless. */
    public static final String WS_PATH = "/mqtt";
    /**
     * Messages queued for one session (offline, or beyond its in-flight window), as on Serverless. When the queue is
     * full, the oldest message is dropped for the new one, as EMQX's mqueue does (HiveMQ's default drops the new one).
     */
    public static final int SESSION_QUEUE_LENGTH = 1000;
    /**
     * HiveMQ's max-packet-size counts the whole packet; EMQX's max_packet_size is checked against the remaining
     * length, which leaves out the fixed header: 1 byte, and 3 bytes of remaining length for any size near 1 MB.
     */
    private static final int HIVEMQ_MAX_PACKET_SIZE = Quota.MESSAGE_SIZE.limit() + 4;
    /** The TLS versions of the second pair of ports, for tests that prove an example also works with TLS 1.2. */
    private static final List<String> TLS_1_2_ONLY = List.of("TLSv1.2");

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PLAINTEXT_MQTT_PORT = 1883;
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    /** HiveMQ with file persistence opens ~1,300 files; with a limit of 1024 its start hangs without an error. */
    private static final long MIN_OPEN_FILES = 2048;

    private final String host;
    private final Path folder;
    /** TLS 1.3 and 1.2, like Serverless: what the examples and users connect to. */
    private final PortPair serverlessPorts;
    /** The same broker, speaking only TLS 1.2. */
    private final PortPair tls12Ports;
    private final boolean plaintextPortBusyBefore;
    private final PublishHold hold = new PublishHold();
    private final List<QuotaRefusal> quotaRefusals = new CopyOnWriteArrayList<>();
    private final ServerlessQuotas quotas = new ServerlessQuotas(quotaRefusals::add);
    private final ServerlessLikeExtension extension;
    private final List<ConnectionRecord> connections = new CopyOnWriteArrayList<>();
    /** Appended to at every PUBLISH: a copy-on-write list would copy all of them each time (the bench sends 100,000s). */
    private final Queue<PublishRecord> publishes = new ConcurrentLinkedQueue<>();
    private final List<HandshakeRefusal> refusals = new CopyOnWriteArrayList<>();
    private final List<String> unansweredClientIds = new CopyOnWriteArrayList<>();
    private EmbeddedHiveMQ hivemq;
    private Duration startupTime;
    private boolean closed;

    private LocalBroker(String host, Map<String, String> users, Path folder) throws IOException {
        this.host = host;
        this.folder = folder;
        this.serverlessPorts = new PortPair("", List.of());
        this.tls12Ports = new PortPair("-tls12", TLS_1_2_ONLY);
        this.plaintextPortBusyBefore = isListening(PLAINTEXT_MQTT_PORT);
        this.extension = new ServerlessLikeExtension(users, connections::add, publishes::add, hold, quotas);
    }

    /**
     * Starts HiveMQ with {@code pki}'s server key store and the given users (user name to password), and the
     * SNI fronts that let only {@code deploymentHost} through. Fails loudly if the broker does not come up
     * with exactly its TLS listeners.
     *
     * <p>Only one embedded HiveMQ works in a JVM at a time: the extension SDK's {@code Services} are static,
     * so a second broker's extension would register with the first. That is why the TLS 1.2-only ports
     * are a second pair of listeners on this broker rather than a broker of their own.
     */
    public static LocalBroker start(TestPki pki, String deploymentHost, Map<String, String> users)
            throws IOException {
        long started = System.nanoTime();
        checkOpenFileLimit();
        Path folder = Files.createTempDirectory("embedded-hivemq-");
        LocalBroker broker = null;
        try {
            broker = new LocalBroker(deploymentHost, users, folder);
            broker.writeConfiguration(pki);
            broker.startHiveMq();
            broker.serverlessPorts.startFronts(broker, pki);
            broker.tls12Ports.startFronts(broker, pki);
            broker.startupTime = Duration.ofNanos(System.nanoTime() - started);
            return broker;
        } catch (IOException | RuntimeException e) {
            try {
                if (broker != null) {
                    broker.close();
                } else {
                    Folders.deleteRecursively(folder);
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // the reason it did not start matters more
            }
            throw e;
        }
    }

    /** The deployment's host name: the only SNI the front lets through, and the name in the certificate. */
    public String host() {
        return host;
    }

    /** The public port for MQTT over TLS (Serverless: 8883), on 127.0.0.1. */
    public int tlsPort() {
        return serverlessPorts.tlsFront.port();
    }

    /** The public port for MQTT over WebSocket over TLS (Serverless: 8084), on 127.0.0.1. */
    public int wssPort() {
        return serverlessPorts.wssFront.port();
    }

    /** Like {@link #tlsPort()}, but the broker speaks only TLS 1.2 there. */
    public int tls12TlsPort() {
        return tls12Ports.tlsFront.port();
    }

    /** Like {@link #wssPort()}, but the broker speaks only TLS 1.2 there. */
    public int tls12WssPort() {
        return tls12Ports.wssFront.port();
    }

    /**
     * HiveMQ's own MQTT over TLS listener, without the SNI front: a plain TLS broker that accepts any SNI or
     * none, like a self-hosted broker. For tests of what the suite does against a broker that enforces less.
     */
    public int directTlsPort() {
        return serverlessPorts.internalTlsPort;
    }

    /** HiveMQ's own MQTT over WSS listener, without the front: any SNI, and no answer to a wrong path. */
    public int directWssPort() {
        return serverlessPorts.internalWssPort;
    }

    public String wsPath() {
        return WS_PATH;
    }

    /** How long {@link #start} took, from the call until every front listened. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Every CONNECT the broker authenticated, oldest first. */
    public List<ConnectionRecord> connections() {
        return List.copyOf(connections);
    }

    /** Every PUBLISH the broker received from a client, oldest first. */
    public List<PublishRecord> publishes() {
        return List.copyOf(publishes);
    }

    /** Every connection the SNI front closed before it reached the broker, oldest first. */
    public List<HandshakeRefusal> refusedHandshakes() {
        return List.copyOf(refusals);
    }

    /** The client id of every CONNECT left unanswered ({@link #leaveNewConnectionsUnanswered()}), oldest first. */
    public List<String> unansweredClientIds() {
        return List.copyOf(unansweredClientIds);
    }

    /**
     * Until {@link #answerNewConnections()}, every new connection to the MQTT-over-TLS and WSS ports is accepted
     * and its TLS handshake completed (on the WSS port its WebSocket upgrade answered too), and then nothing answers
     * it, not even its CONNECT, as a deployment that is restarting may: a client has to give up such an attempt itself
     * and try again. Connections already open, and those to the TLS 1.2 ports, are not affected.
     */
    public void leaveNewConnectionsUnanswered() {
        serverlessPorts.leaveNewConnectionsUnanswered(true);
    }

    /** New connections reach the broker again; those left unanswered stay so until their clients close them. */
    public void answerNewConnections() {
        serverlessPorts.leaveNewConnectionsUnanswered(false);
    }

    /**
     * Closes every client connection to the MQTT-over-TLS and WSS ports at once, as a network failure would; the
     * broker keeps running, and with it the sessions. Returns how many there were.
     */
    public int dropConnections() {
        return serverlessPorts.dropConnections();
    }

    /** Everything the broker refused because a client went over a Serverless quota, oldest first. */
    public List<QuotaRefusal> quotaRefusals() {
        return List.copyOf(quotaRefusals);
    }

    /**
     * From now on, lets these clients publish faster than Serverless' 10 messages a second (for the rest of the
     * broker's life, restarts included); every other client still meets the quota. For a test that must, and says why.
     */
    public void liftPublishRate(Collection<String> clientIds) {
        quotas.liftPublishRate(clientIds);
    }

    /**
     * From now on, holds back the PUBLISHes of these clients after the first {@code passed} of each (no
     * PUBACK, not delivered; one of each client goes through every quarter of a second, so the clients see
     * progress) until {@link #releasePublishes()} or {@link #restart()}: the clients are then provably in the
     * middle of their run. Each PUBLISH is recorded in {@link #publishes()} as it arrives.
     */
    public void holdPublishes(Set<String> clientIds, int passed) {
        holdPublishes(clientIds, passed, PublishHold.TRICKLE);
    }

    /** {@link #holdPublishes(Set, int)}, letting one PUBLISH of each client through every {@code trickle}. */
    public void holdPublishes(Set<String> clientIds, int passed, Duration trickle) {
        hold.hold(clientIds, passed, trickle);
    }

    /** Lets every held PUBLISH through. */
    public void releasePublishes() {
        hold.release();
    }

    /**
     * Restarts the broker like a deployment restarting: every client connection is dropped at once, then
     * HiveMQ is stopped and started again with the same data folder and internal ports, so sessions survive.
     * Held PUBLISHes are let through after the connections are gone (their PUBACKs never reach the clients,
     * which send them again). The fronts stay up; connections made meanwhile are refused as
     * {@code BROKER_UNAVAILABLE}.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        // New connections are refused until HiveMQ is up again, as a restarting deployment refuses them: one let
        // through to a HiveMQ that is stopping or still starting could hang in its handshake until the client's own
        // timeout instead of failing at once and being retried.
        serverlessPorts.refuseNewConnections(true);
        tls12Ports.refuseNewConnections(true);
        serverlessPorts.dropConnections();
        tls12Ports.dropConnections();
        hold.release();
        // A new instance on the same folders: the same instance cannot start twice (its metrics stay registered).
        try {
            stopHiveMq();
            startHiveMq();
        } finally {
            serverlessPorts.refuseNewConnections(false);
            tls12Ports.refuseNewConnections(false);
        }
    }

    /** Stops the fronts and HiveMQ (about 4 s) and deletes the broker's folder. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closeFronts()) {
            try {
                stopHiveMq();
            } finally {
                Folders.deleteRecursively(folder);
            }
        }
    }

    /**
     * {@link #close()} for a JVM that exits next, like a test run's at its end: closes the fronts, so that no
     * client reaches HiveMQ any more, and deletes the broker's folder, but leaves HiveMQ itself to the JVM's
     * exit instead of stopping it gracefully, which takes 3 to 4 s of waiting (its event loops wait out a fixed
     * 2 s quiet period) and would only precede the end of its threads anyway. Safe to call twice.
     */
    public synchronized void closeAsTheJvmExits() {
        if (closeFronts()) {
            hivemq = null;
            Folders.deleteQuietly(folder); // HiveMQ may still write to it: what it writes goes with the JVM's temp files
        }
    }

    /** The first step of closing: no client reaches HiveMQ any more. False if the broker was closed already. */
    private boolean closeFronts() {
        if (closed) {
            return false;
        }
        closed = true;
        serverlessPorts.closeFronts();
        tls12Ports.closeFronts();
        hold.release();
        return true;
    }

    /**
     * Two public ports, MQTT over TLS and MQTT over WSS, each an SNI front before a HiveMQ listener on an
     * internal port, speaking the given TLS versions (empty: HiveMQ's default, TLS 1.3 and 1.2).
     */
    private static final class PortPair {
        private final String nameSuffix;
        private final List<String> tlsProtocols;
        private final int internalTlsPort;
        private final int internalWssPort;
        private SniFront tlsFront;
        private SniFront wssFront;

        PortPair(String nameSuffix, List<String> tlsProtocols) throws IOException {
            this.nameSuffix = nameSuffix;
            this.tlsProtocols = tlsProtocols;
            this.internalTlsPort = freePort();
            this.internalWssPort = freePort();
        }

        String listenerName(Transport transport) {
            return transport.listenerName() + nameSuffix;
        }

        void startFronts(LocalBroker broker, TestPki pki) throws IOException {
            FrontTls tls = FrontTls.of(pki.serverKeyStore(), pki.keyStorePassword(), pki.caCertificate(), tlsProtocols);
            // The TCP front relays the client's TLS to HiveMQ untouched; its own TLS is only for connections it
            // leaves unanswered.
            tlsFront = SniFront.start(Transport.TLS, broker.host,
                    new InetSocketAddress(LOOPBACK, internalTlsPort), SniFront.DEFAULT_HELLO_TIMEOUT,
                    broker.refusals::add, tls, broker.unansweredClientIds::add);
            // The WSS front terminates TLS itself, so that it can answer a wrong path with HTTP 404 as EMQX does.
            wssFront = SniFront.startWebSocket(broker.host,
                    new InetSocketAddress(LOOPBACK, internalWssPort), WS_PATH, tls,
                    SniFront.DEFAULT_HELLO_TIMEOUT, broker.refusals::add, broker.unansweredClientIds::add);
        }

        int dropConnections() {
            return tlsFront.dropConnections() + wssFront.dropConnections();
        }

        void leaveNewConnectionsUnanswered(boolean unanswered) {
            for (SniFront front : List.of(tlsFront, wssFront)) {
                if (unanswered) {
                    front.leaveNewConnectionsUnanswered();
                } else {
                    front.answerNewConnections();
                }
            }
        }

        void refuseNewConnections(boolean refuse) {
            for (SniFront front : List.of(tlsFront, wssFront)) {
                if (refuse) {
                    front.refuseNewConnections();
                } else {
                    front.acceptNewConnections();
                }
            }
        }

        void closeFronts() {
            if (tlsFront != null) {
                tlsFront.close();
            }
            if (wssFront != null) {
                wssFront.close();
            }
        }

        Set<ListenerInfo> expectedListeners() {
            return Set.of(new ListenerInfo(ListenerType.TLS_TCP_LISTENER, "127.0.0.1", internalTlsPort),
                    new ListenerInfo(ListenerType.TLS_WEBSOCKET_LISTENER, "127.0.0.1", internalWssPort));
        }

        String configuration(TestPki pki) {
            String password = xml(new String(pki.keyStorePassword()));
            StringBuilder protocols = new StringBuilder();
            if (!tlsProtocols.isEmpty()) {
                protocols.append("                <protocols>\n");
                tlsProtocols.forEach(protocol -> protocols.append("                    <protocol>").append(xml(protocol))
                        .append("</protocol>\n"));
                protocols.append("                </protocols>\n");
            }
            String tls = """
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                    %s        </tls>
                    """.formatted(xml(pki.serverKeyStore().toAbsolutePath().toString()), password, password, protocols);
            return """
                            <tls-tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                                <name>%s</name>
                    %s        </tls-tcp-listener>
                            <tls-websocket-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                                <name>%s</name>
                                <path>%s</path>
                                <subprotocols>
                                    <subprotocol>mqtt</subprotocol>
                                </subprotocols>
                                <allow-extensions>true</allow-extensions>
                    %s        </tls-websocket-listener>
                    """.formatted(internalTlsPort, listenerName(Transport.TLS), tls,
                    internalWssPort, listenerName(Transport.WSS), WS_PATH, tls);
        }
    }

    private void stopHiveMq() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.close(); // stops it first
        } catch (ExecutionException e) {
            throw new IllegalStateException("HiveMQ did not stop cleanly: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while HiveMQ was stopping", e);
        } finally {
            hivemq = null;
        }
    }

    private void writeConfiguration(TestPki pki) throws IOException {
        String config = """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                %s%s    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard-oldest</strategy>
                        </queued-messages>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <persistence>
                        <mode>file</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(serverlessPorts.configuration(pki), tls12Ports.configuration(pki), SESSION_QUEUE_LENGTH,
                HIVEMQ_MAX_PACKET_SIZE);
        Files.createDirectories(folder.resolve("conf"));
        Files.createDirectories(folder.resolve("data"));
        Files.createDirectories(folder.resolve("extensions"));
        Files.writeString(folder.resolve("conf/config.xml"), config, StandardCharsets.UTF_8);
    }

    private void startHiveMq() {
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(folder.resolve("conf"))
                .withDataFolder(folder.resolve("data"))
                .withExtensionsFolder(folder.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("serverless-like")
                        .withName("Serverless-like authentication, quotas and connection log")
                        .withVersion("1")
                        .withAuthor("serverless-examples harness")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(extension)
                        .build())
                .withoutLoggingBootstrap()
                .build();
        await(hivemq.start(), "start");
        checkListeners();
    }

    /** HiveMQ opens a plaintext listener on 1883 when its listener configuration is unusable: catch that. */
    private void checkListeners() {
        Set<ListenerInfo> expected = new HashSet<>(serverlessPorts.expectedListeners());
        expected.addAll(tls12Ports.expectedListeners());
        if (!extension.listeners().equals(expected)) {
            throw new IllegalStateException("HiveMQ started with the listeners " + extension.listeners()
                    + " instead of exactly " + expected + ": check the generated config.xml");
        }
        for (ListenerInfo listener : expected) {
            int port = listener.port();
            if (!isListening(port)) {
                throw new IllegalStateException("HiveMQ reported started, but nothing listens on 127.0.0.1:" + port);
            }
        }
        if (!plaintextPortBusyBefore && isListening(PLAINTEXT_MQTT_PORT)) {
            throw new IllegalStateException("port 1883 (plaintext MQTT) is open since HiveMQ started:"
                    + " its listener configuration was not used");
        }
    }

    private static void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("HiveMQ did not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("HiveMQ did not " + what + " within " + START_BOUND.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while HiveMQ was to " + what, e);
        }
    }

    private static void checkOpenFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os
                && os.getMaxFileDescriptorCount() < MIN_OPEN_FILES) {
            throw new IllegalStateException("the open-file limit is " + os.getMaxFileDescriptorCount()
                    + "; embedded HiveMQ needs at least " + MIN_OPEN_FILES + " (its start hangs otherwise):"
                    + " raise it, e.g. ulimit -n 4096");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
