package serverless.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.Quota;
import serverless.harness.pki.TestPki;

/**
 * EMQX 5 in a container (Testcontainers), set up like Serverless through EMQX's own configuration
 * environment variables: the plaintext listeners off, TLS on 8883 and WSS on 8084 path /mqtt with the
 * test PKI's server certificate, and password authentication against the built-in database with the test
 * user created at start-up, so anonymous clients are refused.
 *
 * <p>EMQX does not check SNI itself (Serverless does that in front of the broker): {@link BrokerProbe} finds
 * that out at the start of the run, and the SNI fault cases are skipped against it with that reason.
 *
 * <p>Serverless' quotas are set where EMQX 5.8.9 has a setting for them (see {@link #environment()}); its publish
 * rate limiter slows a client down where Serverless refuses the messages over the rate.
 */
final class EmqxContainerBroker implements Broker, AutoCloseable {

    /**
     * 5.8.9 is the last Apache-2.0 release of EMQX (from 5.9 EMQX is one edition under the BSL, and
     * {@code latest} may be a 6.x build): pinned, never {@code latest}.
     */
    static final DockerImageName IMAGE = DockerImageName.parse("emqx/emqx:5.8.9");
    static final int TLS_PORT = 8883;
    static final int WSS_PORT = 8084;
    static final String WS_PATH = "/mqtt";
    static final String CERTS = "/opt/emqx/etc/certs/";
    static final String USERS_FILE = "/opt/emqx/etc/serverless-users.csv";
    /** EMQX 5.8 logs "EMQX 5.8.9 is running now!" once it is ready; a log frame ends in a newline. */
    static final String READY_LOG = "(?s).*is running now!.*";

    private final GenericContainer<?> container;
    private final Endpoint endpoint;

    private EmqxContainerBroker(GenericContainer<?> container, Endpoint endpoint) {
        this.container = container;
        this.endpoint = endpoint;
    }

    /**
     * Starts EMQX (needs Docker) with the deployment's certificate and user, and writes a hosts file beside them that
     * maps the deployment's name to the container's host.
     */
    static EmqxContainerBroker start(DeploymentFiles files) throws IOException {
        GenericContainer<?> container = container(files.pki(),
                usersFile(files.folder(), files.username(), files.password()));
        container.start();
        String address = InetAddress.getByName(container.getHost()).getHostAddress();
        Path hostsFile = HostsFile.write(files.folder().resolve("emqx-hosts"), address, files.host());
        return new EmqxContainerBroker(container, new Endpoint(files.host(),
                container.getMappedPort(TLS_PORT), container.getMappedPort(WSS_PORT), WS_PATH,
                Optional.of(files.pki().caCertificate()), files.username(), files.password(), Optional.of(hostsFile)));
    }

    /** The container, configured but not started: everything the suite hands EMQX, testable without Docker. */
    static GenericContainer<?> container(TestPki pki, Path usersFile) {
        return new GenericContainer<>(IMAGE)
                .withEnv(environment())
                // Readable by EMQX's own user (uid 1000) inside the container.
                .withCopyFileToContainer(MountableFile.forHostPath(pki.serverCertificateChain(), 0644), CERTS + "server-chain.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(pki.serverPrivateKey(), 0644), CERTS + "server-key.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(pki.caCertificate(), 0644), CERTS + "test-ca.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(usersFile, 0644), USERS_FILE)
                .withExposedPorts(TLS_PORT, WSS_PORT)
                .waitingFor(Wait.forLogMessage(READY_LOG, 1).withStartupTimeout(Duration.ofMinutes(2)));
    }

    /**
     * EMQX's configuration as environment variables: {@code EMQX_} + the config path in capitals with
     * {@code __} for each dot; values are HOCON, so a string with a colon needs its own quotes.
     */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        // Serverless offers no plaintext port: turn off EMQX's default TCP (1883) and WS (8083) listeners.
        env.put("EMQX_LISTENERS__TCP__DEFAULT__ENABLE", "false");
        env.put("EMQX_LISTENERS__WS__DEFAULT__ENABLE", "false");
        for (String listener : new String[] {"SSL", "WSS"}) {
            String prefix = "EMQX_LISTENERS__" + listener + "__DEFAULT__";
            env.put(prefix + "ENABLE", "true");
            env.put(prefix + "SSL_OPTIONS__CERTFILE", CERTS + "server-chain.pem");
            env.put(prefix + "SSL_OPTIONS__KEYFILE", CERTS + "server-key.pem");
            env.put(prefix + "SSL_OPTIONS__CACERTFILE", CERTS + "test-ca.pem");
            // One-way TLS, as on Serverless: the server does not ask for a client certificate.
            env.put(prefix + "SSL_OPTIONS__VERIFY", "verify_none");
        }
        env.put("EMQX_LISTENERS__SSL__DEFAULT__BIND", "\"0.0.0.0:" + TLS_PORT + "\"");
        env.put("EMQX_LISTENERS__WSS__DEFAULT__BIND", "\"0.0.0.0:" + WSS_PORT + "\"");
        env.put("EMQX_LISTENERS__WSS__DEFAULT__WEBSOCKET__MQTT_PATH", "\"" + WS_PATH + "\"");
        // Password authentication against the built-in database; the users come from a CSV file at start-up.
        // With an authenticator configured, a client it does not accept (anonymous too) is refused.
        env.put("EMQX_AUTHENTICATION", "[{mechanism = password_based, backend = built_in_database,"
                + " user_id_type = username, bootstrap_file = \"" + USERS_FILE + "\", bootstrap_type = plain}]");
        // Serverless' quotas, as the local broker enforces them too (Quota): EMQX refuses the 11th subscription of a
        // client (SUBACK 0x97), a filter of more than 10 levels (0x8F), a longer client id (CONNACK 0x85), closes the
        // connection of a larger packet (0x95), and drops the oldest of a full session queue.
        env.put("EMQX_MQTT__MAX_SUBSCRIPTIONS", String.valueOf(Quota.SUBSCRIPTIONS.limit()));
        env.put("EMQX_MQTT__MAX_TOPIC_LEVELS", String.valueOf(Quota.TOPIC_LEVELS.limit()));
        env.put("EMQX_MQTT__MAX_CLIENTID_LEN", String.valueOf(Quota.CLIENT_ID_LENGTH.limit()));
        env.put("EMQX_MQTT__MAX_PACKET_SIZE", Quota.MESSAGE_SIZE.limit() / (1024 * 1024) + "MB");
        env.put("EMQX_MQTT__MAX_MQUEUE_LEN", String.valueOf(LocalBroker.SESSION_QUEUE_LENGTH));
        // The publish rate: 5.8.9's per-client limiter (a listener's messages_rate) pauses reading from a client over
        // it rather than refusing its PUBLISHes as Serverless does (PUBACK 0x97, or silently for MQTT 3.1.1; EMQX 5.9
        // and later): against this container a client over 10 a second is slowed down, and loses nothing.
        for (String listener : new String[] {"SSL", "WSS"}) {
            env.put("EMQX_LISTENERS__" + listener + "__DEFAULT__MESSAGES_RATE",
                    "\"" + Quota.PUBLISH_RATE.limit() + "/s\"");
        }
        return env;
    }

    /** The built-in database's bootstrap file: plain CSV, no quoting, so the test password is hex. */
    static Path usersFile(Path directory, String username, String password) throws IOException {
        if (!(username + password).matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("EMQX's bootstrap CSV has no quoting: use letters, digits, . _ - only");
        }
        return Files.writeString(directory.resolve("emqx-users.csv"),
                "user_id,password,is_superuser\n" + username + "," + password + ",false\n");
    }

    /** For tests of the container itself (what listens inside it). */
    GenericContainer<?> container() {
        return container;
    }

    @Override
    public String description() {
        return "EMQX " + IMAGE.getVersionPart() + " in a container, TLS-only (mqtts " + tlsPort() + ", wss "
                + wssPort() + WS_PATH + "), built-in database auth; EMQX does not check SNI";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Set<Trait> traits() {
        return EnumSet.of(Trait.STARTED_BY_THE_SUITE);
    }

    @Override
    public void close() {
        container.stop();
    }
}
