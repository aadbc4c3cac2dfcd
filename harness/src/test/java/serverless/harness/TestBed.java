package serverless.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import serverless.harness.broker.Folders;
import serverless.harness.pki.TestPki;

/**
 * Everything one test run shares, made once and closed at the end: a test PKI generated now (nothing
 * committed can expire), a hosts file for the examples' JVMs, the broker {@code -Dbroker} chose, and the
 * fault servers.
 */
public final class TestBed implements ExtensionContext.Store.CloseableResource {

    /** The test deployment's host name. Dotted, so the JDK sends it as SNI, like a real deployment's. */
    public static final String DEPLOYMENT_HOST = "deployment.emqxsl.test";
    /** Another name for this machine: a CNAME-like alias the deployment's certificate and SNI check reject. */
    public static final String OTHER_HOST = "other.emqxsl.test";

    /**
     * The JUnit resource lock on {@link #localBroker()}: suites that use it hold it to read, the one that
     * restarts it holds it alone.
     */
    public static final String LOCAL_BROKER = "local-broker";

    private final Path directory;
    private final TestPki pki;
    private final Path hostsFile;
    private final Broker broker;
    private final AutoCloseable brokerHandle;
    private final String username = "example-user";
    private final String password = randomSecret();
    private EmbeddedServerlessBroker localBroker;
    private FaultFixtures faults;

    private TestBed(BrokerChoice choice) throws Exception {
        long started = System.nanoTime();
        // The Node.js and Python examples' dependencies are installed from their lock files while the broker
        // starts; the bed is ready once they are, so that no test's time limit includes an installation.
        List<CompletableFuture<Void>> installations = Arrays.stream(Example.values())
                .filter(example -> !(example.program() instanceof JavaProgram))
                .map(example -> CompletableFuture.runAsync(() -> example.unavailableReason().ifPresentOrElse(
                        reason -> System.out.println("[harness] " + reason + "; its cases are skipped"),
                        () -> System.out.println("[harness] " + example.program().module() + ": dependencies installed"))))
                .toList();
        directory = Files.createTempDirectory("serverless-harness-");
        pki = TestPki.generate(directory.resolve("pki"), DEPLOYMENT_HOST);
        hostsFile = Files.writeString(directory.resolve("hosts"), hostsFileFor("127.0.0.1"));
        Broker chosen;
        switch (choice) {
            case EMBEDDED -> {
                chosen = localBroker();
                brokerHandle = () -> { }; // closed with the local broker
            }
            case EMQX -> {
                EmqxContainerBroker emqx = EmqxContainerBroker.start(pki, directory, username, password);
                chosen = emqx;
                brokerHandle = emqx;
            }
            case EXTERNAL -> {
                chosen = ExternalBroker.fromEnvironment(System.getenv(), Optional.empty());
                brokerHandle = () -> { };
            }
            default -> throw new IllegalArgumentException("not a broker: " + choice);
        }
        if (Tier.completeTierRuns()) {
            // In the background, once the broker is up (it starts slower beside them): an archive of the classes each
            // program loads in a round trip, so that each of its many later runs starts with less CPU. The
            // everyday tier runs each program once, as its README types it, and has no use for them.
            List<ExampleRun> trainingRuns = new ArrayList<>();
            for (Example example : Example.values()) {
                if (example.program() instanceof JavaProgram) {
                    trainingRuns.add(ExampleRun.of(example, chosen, "class-data-" + example.name().toLowerCase(Locale.ROOT)));
                }
            }
            trainingRuns.add(ExampleRun.ofDoctor(chosen, "class-data-doctor"));
            ExampleRunner.archiveClassData(directory.resolve("class-data"), trainingRuns);
        }
        System.out.println("[harness] broker: " + chosen.description());
        broker = ProbedBroker.probe(chosen); // probed for each refusal when a test first asks about it
        installations.forEach(CompletableFuture::join);
        // The suites start once the archives are made: their first runs then map them, and no run's time bound
        // has to share the machine with the training runs (measured: with the training, the installations, the
        // browser and the first runs of four suites all at once, a Vert.x example's first connect timed out).
        ExampleRunner.awaitClassData();
        System.out.printf("[harness] test bed ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * What -Dbroker asks for; {@code auto} becomes EMQX where Docker is available (in the complete tier), else the
     * embedded broker.
     */
    enum BrokerChoice {
        AUTO, EMQX, EMBEDDED, EXTERNAL;

        static BrokerChoice fromSystemProperty() {
            String value = System.getProperty("broker", "auto").trim();
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-Dbroker=" + value + " is not one of auto, emqx, embedded, external");
            }
        }

        BrokerChoice resolved() {
            if (this == AUTO && !Tier.completeTierRuns()) {
                // The everyday tier proves the examples against the broker that behaves most like Serverless (SNI
                // enforced), without spending seconds on looking for Docker; the complete tier takes EMQX where it can.
                System.out.println("[harness] -Dbroker=auto, everyday tier: the embedded Serverless-like broker (the complete"
                        + " tier, " + Tier.COMPLETE_FLAG + ", runs against EMQX in a container where Docker works)");
                return EMBEDDED;
            }
            if (this == AUTO) {
                Optional<String> noDocker = Docker.unavailableReason();
                noDocker.ifPresent(reason -> System.out.println("[harness] -Dbroker=auto: " + reason
                        + "; using the embedded broker, and the EMQX tests are skipped"));
                return noDocker.isPresent() ? EMBEDDED : EMQX;
            }
            if (this == EMQX) {
                Docker.unavailableReason().ifPresent(reason -> {
                    throw new TestAbortedException("-Dbroker=emqx runs EMQX in a container, but there is " + reason
                            + ": skipped, not passed. Run where Docker works, or use -Dbroker=embedded");
                });
            }
            return this;
        }
    }

    /** A hosts file for the examples' JVMs: the deployment's name and the fault names at {@code address}. */
    static String hostsFileFor(String address) {
        return address + " " + DEPLOYMENT_HOST + "\n" + address + " " + OTHER_HOST + "\n127.0.0.1 localhost\n";
    }

    /** The test bed of this run, made on first use and closed when the whole run ends. */
    public static TestBed of(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestBed.class, key -> create(), TestBed.class);
    }

    private static TestBed create() {
        BrokerChoice choice = BrokerChoice.fromSystemProperty().resolved();
        try {
            return new TestBed(choice);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the test bed could not be set up: " + e.getMessage(), e);
        }
    }

    /** The broker -Dbroker chose, with the refusals it was found to make (see {@link BrokerProbe}). */
    public Broker broker() {
        return broker;
    }

    /**
     * The run's embedded Serverless-like broker: the chosen broker itself with {@code -Dbroker=embedded},
     * otherwise started on first use, for the suites that need a broker under their control whatever the
     * choice (restarts, TLS 1.2-only ports, the test of external mode). One per JVM: two embedded HiveMQs
     * in one JVM share the extension SDK's static services and answer for each other.
     */
    public synchronized EmbeddedServerlessBroker localBroker() {
        if (localBroker == null) {
            try {
                localBroker = EmbeddedServerlessBroker.start(pki, hostsFile, username, password);
            } catch (Exception e) {
                throw new IllegalStateException("the embedded broker did not start: " + e.getMessage(), e);
            }
        }
        return localBroker;
    }

    public TestPki pki() {
        return pki;
    }

    /** Maps the deployment's name (and the fault names) to 127.0.0.1, for brokers this run starts itself. */
    public Path hostsFile() {
        return hostsFile;
    }

    /** The servers that make a TLS handshake fail in a chosen way, started on first use. */
    public synchronized FaultFixtures faults() {
        if (faults == null) {
            faults = new FaultFixtures(pki);
        }
        return faults;
    }

    @Override
    public void close() throws Exception {
        if (faults != null) {
            faults.close();
        }
        brokerHandle.close();
        if (localBroker != null) {
            localBroker.closeAsTheJvmExits(); // the whole run is over: the test JVM exits next
        }
        Folders.deleteQuietly(directory);
    }

    static String randomSecret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
