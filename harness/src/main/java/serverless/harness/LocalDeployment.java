package serverless.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.PublishRecord;
import serverless.harness.broker.QuotaRefusal;

/**
 * A Serverless-like deployment on this machine: the {@link LocalBroker} (embedded HiveMQ CE behind its SNI front,
 * with Serverless' quotas) started with a set of {@link DeploymentFiles} (test PKI, hosts file, one user), seen as a
 * {@link Broker}. The quick start, {@link StartLocalBroker}, the bench and the test suites each run one; there can
 * be only one per JVM (two embedded HiveMQs share the extension SDK's static services and answer for each other).
 *
 * <p>What only the local broker can do (restart, hold or drop connections, its ports without the front) is on
 * {@link #broker()}; this class adds what a deployment is: a name, a user, a CA, the variables that describe it.
 */
public final class LocalDeployment implements Broker, AutoCloseable {

    /** The deployment's name. Dotted: the JDK sends SNI only for such names, as to a real deployment's. */
    public static final String HOST = "deployment.emqxsl.test";

    private final DeploymentFiles files;
    private final boolean ownsFiles;
    private final LocalBroker broker;
    private final Endpoint endpoint;

    private LocalDeployment(DeploymentFiles files, boolean ownsFiles, LocalBroker broker) {
        this.files = files;
        this.ownsFiles = ownsFiles;
        this.broker = broker;
        this.endpoint = new Endpoint(files.host(), broker.tlsPort(), broker.wssPort(), broker.wsPath(),
                Optional.of(files.pki().caCertificate()), files.username(), files.password(), Optional.of(files.hostsFile()));
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

    /** Makes the files for {@code host} and starts the broker; {@link #close()} deletes them again. */
    public static LocalDeployment start(String host) throws IOException {
        DeploymentFiles files = DeploymentFiles.create(host);
        try {
            return new LocalDeployment(files, true, startBroker(files));
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** Starts the broker with files that outlive it (a test run's, shared with its other brokers and fault servers). */
    public static LocalDeployment startWith(DeploymentFiles files) throws IOException {
        return new LocalDeployment(files, false, startBroker(files));
    }

    private static LocalBroker startBroker(DeploymentFiles files) throws IOException {
        return LocalBroker.start(files.pki(), files.host(), Map.of(files.username(), files.password()));
    }

    @Override
    public String description() {
        return "the local broker: embedded HiveMQ CE behind an SNI-checking front, TLS-only (mqtts " + tlsPort() + ", wss "
                + wssPort() + wsPath() + "), password auth, Serverless' quotas, started in "
                + broker.startupTime().toMillis() + " ms";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The same deployment through the broker's ports that speak only TLS 1.2: the same user, SNI check and records. */
    public Endpoint tls12Endpoint() {
        return endpoint.withPorts(broker.tls12TlsPort(), broker.tls12WssPort());
    }

    /**
     * The broker's own listeners, without the SNI front: a TLS broker with password authentication that accepts any
     * SNI or none and does not answer a wrong WebSocket path, like many self-hosted brokers.
     */
    public Endpoint directEndpoint() {
        return endpoint.withPorts(broker.directTlsPort(), broker.directWssPort());
    }

    @Override
    public Set<Trait> traits() {
        // What it refuses, the suite's probes find.
        return EnumSet.of(Trait.CONNECTION_LOG, Trait.STARTED_BY_THE_SUITE, Trait.READ_ONLY_TOPICS);
    }

    /** The broker itself: its records, and what a test does to it (restart it, hold, drop or leave connections). */
    public LocalBroker broker() {
        return broker;
    }

    public Duration startupTime() {
        return broker.startupTime();
    }

    @Override
    public List<ConnectionRecord> connections() {
        return broker.connections();
    }

    @Override
    public List<PublishRecord> publishes() {
        return broker.publishes();
    }

    /** What the broker refused because a client went over a Serverless quota, oldest first. */
    @Override
    public List<QuotaRefusal> quotaRefusals() {
        return broker.quotaRefusals();
    }

    /**
     * Lets these clients publish faster than Serverless' 10 messages a second, for the rest of the run; every other
     * client still meets the quota. A caller that does so says why. See {@link LocalBroker#liftPublishRate}.
     */
    @Override
    public void liftPublishRate(Collection<String> clientIds) {
        broker.liftPublishRate(clientIds);
    }

    /** Stops the broker (about 4 s), and deletes the files if they are its own. */
    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            closeFiles();
        }
    }

    /**
     * For the end of a JVM: closes the broker's ports at once but leaves HiveMQ's graceful stop (3 to 4 s of
     * waiting) to the JVM's exit ({@link LocalBroker#closeAsTheJvmExits()}); deletes its own files.
     */
    public void closeAsTheJvmExits() {
        try {
            broker.closeAsTheJvmExits();
        } finally {
            closeFiles();
        }
    }

    private void closeFiles() {
        if (ownsFiles) {
            files.close();
        }
    }
}
