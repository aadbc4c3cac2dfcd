package serverless.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.Folders;
import serverless.harness.pki.TestPki;

/**
 * A Serverless-like deployment on this machine, for people rather than tests ({@link StartLocalBroker},
 * {@link QuickStart}): a test PKI, a hosts file and one user with a random password in a temporary folder,
 * and the {@link LocalBroker}. {@link #close()} stops the broker and deletes the folder.
 */
public final class LocalDeployment implements AutoCloseable {

    /** Dotted: the JDK sends SNI only for such names, so the examples send it as they do to a real deployment. */
    public static final String DEFAULT_HOST = "deployment.emqxsl.test";
    private static final String USER = "local-user";

    private final Path folder;
    private final TestPki pki;
    private final Path hostsFile;
    private final String password;
    private final LocalBroker broker;

    private LocalDeployment(Path folder, TestPki pki, Path hostsFile, String password, LocalBroker broker) {
        this.folder = folder;
        this.pki = pki;
        this.hostsFile = hostsFile;
        this.password = password;
        this.broker = broker;
    }

    /**
     * Call first, before anything logs: the HiveMQ jar ships a logback.xml at INFO; this one keeps the broker
     * at WARN. A {@code -Dlogback.configurationFile} given on the command line wins.
     */
    public static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "serverless/harness/local-broker-logback.xml");
        }
    }

    /** Generates the PKI, the hosts file and the user, and starts the broker for {@code host}. */
    public static LocalDeployment start(String host) throws IOException {
        Path folder = Files.createTempDirectory("serverless-local-broker-");
        try {
            TestPki pki = TestPki.generate(folder.resolve("pki"), host);
            // Java programs given -Djdk.net.hosts.file=<this> resolve the test host name to this machine,
            // without editing /etc/hosts.
            Path hostsFile = Files.writeString(folder.resolve("hosts"),
                    "127.0.0.1 " + host + "\n127.0.0.1 localhost\n");
            String password = randomPassword();
            LocalBroker broker = LocalBroker.start(pki, host, Map.of(USER, password));
            return new LocalDeployment(folder, pki, hostsFile, password, broker);
        } catch (IOException | RuntimeException e) {
            try {
                Folders.deleteRecursively(folder);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // why it did not start matters more
            }
            throw e;
        }
    }

    /**
     * How a user describes this deployment, in the order to export them: host, MQTT over TLS port (Serverless'
     * 8883), MQTT over WSS port and path (8084, {@code /mqtt}), user, password and the test CA. The doctor takes
     * them all; an example takes MQTT_PORT for its transport and ignores the rest.
     */
    public Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MQTT_HOST", broker.host());
        variables.put("MQTT_PORT", String.valueOf(broker.tlsPort()));
        variables.put("MQTT_WS_PORT", String.valueOf(broker.wssPort()));
        variables.put("MQTT_WS_PATH", broker.wsPath());
        variables.put("MQTT_USERNAME", USER);
        variables.put("MQTT_PASSWORD", password);
        variables.put("MQTT_CA_FILE", pki.caCertificate().toAbsolutePath().toString());
        return variables;
    }

    public String host() {
        return broker.host();
    }

    /** Maps {@link #host()} to 127.0.0.1, for {@code -Djdk.net.hosts.file}. */
    public Path hostsFile() {
        return hostsFile.toAbsolutePath();
    }

    /** The broker itself, e.g. for its ports without the SNI front. */
    public LocalBroker broker() {
        return broker;
    }

    public Duration startupTime() {
        return broker.startupTime();
    }

    /** Stops the broker (about 4 s) and deletes the folder. */
    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            Folders.deleteRecursively(folder);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
