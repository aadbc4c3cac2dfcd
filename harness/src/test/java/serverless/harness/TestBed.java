package serverless.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtensionContext;
import serverless.harness.pki.TestPki;

/**
 * Everything one test run shares, made once and closed at the end: the {@link DeploymentFiles} (a test PKI
 * generated now, so nothing committed can expire; a hosts file for the examples' JVMs; a user), the broker
 * {@code -Dbroker} chose ({@link BrokerChoice}), probed for what it refuses ({@link ProbedBroker}), the local
 * deployment for the suites that need a broker under their control, and the fault servers.
 */
public final class TestBed implements AutoCloseable {

    /**
     * The JUnit resource lock on {@link #localDeployment()}'s broker: suites that use it hold it to read, the one
     * that restarts it holds it alone.
     */
    public static final String LOCAL_BROKER = "local-broker";

    private final DeploymentFiles files;
    private final Broker broker;
    private final AutoCloseable brokerHandle;
    private LocalDeployment localDeployment;
    private FaultFixtures faults;

    private TestBed(DeploymentFiles files, BrokerChoice choice) throws Exception {
        this.files = files;
        switch (choice) {
            case LOCAL -> {
                this.broker = ProbedBroker.probe(localDeployment());
                this.brokerHandle = () -> { }; // closed with the local deployment
            }
            case EMQX -> {
                EmqxContainerBroker emqx = EmqxContainerBroker.start(files);
                this.broker = ProbedBroker.probe(emqx);
                this.brokerHandle = emqx;
            }
            case EXTERNAL -> {
                this.broker = ProbedBroker.probe(ExternalBroker.fromEnvironment(System.getenv(), Optional.empty()));
                this.brokerHandle = () -> { };
            }
            default -> throw new IllegalArgumentException("not a broker: " + choice);
        }
    }

    /** The test bed of this run, made on first use and closed when the whole run ends. */
    public static TestBed of(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestBed.class, key -> create(), TestBed.class);
    }

    /**
     * Sets the run up: while the files are made and the broker starts, the Node.js and Python examples' dependencies
     * install and the Go example builds; in the complete tier the Java programs' class-data archives are made; the bed is ready once all of it
     * is, so that no test's time bound includes an installation or shares the machine with the training runs
     * (measured: with those, the browser and the first runs of four suites all at once, a Vert.x example's first
     * connect timed out).
     */
    private static TestBed create() {
        long started = System.nanoTime();
        BrokerChoice choice = BrokerChoice.fromSystemProperty().resolved();
        try {
            List<CompletableFuture<Void>> installations = prepareProgramsThatAreNotJars();
            TestBed bed = withFiles(DeploymentFiles.create(LocalDeployment.HOST), choice);
            System.out.println("[harness] broker: " + bed.broker.description()); // probed when a test first asks
            if (Tier.completeTierRuns()) {
                ClassDataArchives.OF_THIS_RUN.prepare(trainingRuns(bed.broker));
            }
            installations.forEach(CompletableFuture::join);
            ClassDataArchives.OF_THIS_RUN.awaitPrepared();
            System.out.printf("[harness] test bed ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            return bed;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the test bed could not be set up: " + e.getMessage(), e);
        }
    }

    /** The bed with these files; they are deleted again if its broker cannot start. */
    private static TestBed withFiles(DeploymentFiles files, BrokerChoice choice) throws Exception {
        try {
            return new TestBed(files, choice);
        } catch (Exception e) {
            files.close();
            throw e;
        }
    }

    /**
     * Makes every program that is not a jar ready to run, in the background: a script's dependencies installed from its
     * lock file, a Go binary built. Each says how it went.
     */
    private static List<CompletableFuture<Void>> prepareProgramsThatAreNotJars() {
        return Arrays.stream(Example.values())
                .filter(example -> !(example.program() instanceof JavaProgram))
                .map(example -> CompletableFuture.runAsync(() -> example.unavailableReason().ifPresentOrElse(
                        reason -> System.out.println("[harness] " + reason + "; its cases are skipped"),
                        () -> System.out.println("[harness] " + example.program().module() + ": ready (dependencies installed, or binary built)"))))
                .toList();
    }

    /**
     * One round trip of each Java program against {@code broker}, which loads the classes its later runs map from
     * an archive ({@link ClassDataArchives}). The everyday tier runs each program once, as its README types it, and
     * has no use for them.
     */
    private static List<ExampleRun> trainingRuns(Broker broker) {
        List<ExampleRun> runs = new ArrayList<>();
        for (Example example : Example.values()) {
            if (example.program() instanceof JavaProgram) {
                runs.add(ExampleRun.of(example, broker, "class-data-" + example.name().toLowerCase(Locale.ROOT)));
            }
        }
        runs.add(ExampleRun.ofDoctor(broker, "class-data-doctor"));
        return runs;
    }

    /** The broker -Dbroker chose, with the refusals it was found to make (see {@link BrokerProbe}). */
    public Broker broker() {
        return broker;
    }

    /**
     * The run's local deployment: the chosen broker itself with {@code -Dbroker=local}, otherwise started on first
     * use, for the suites that need a broker under their control whatever the choice (restarts, TLS 1.2-only ports,
     * the test of external mode). One per JVM (see {@link LocalDeployment}).
     */
    public synchronized LocalDeployment localDeployment() {
        if (localDeployment == null) {
            try {
                localDeployment = LocalDeployment.startWith(files);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("the local broker did not start: " + e.getMessage(), e);
            }
        }
        return localDeployment;
    }

    /** The run's PKI, hosts file and user, which every broker the run starts itself is set up with. */
    public DeploymentFiles files() {
        return files;
    }

    public TestPki pki() {
        return files.pki();
    }

    /** Maps the deployment's name (and the fault names) to 127.0.0.1, for brokers this run starts itself. */
    public Path hostsFile() {
        return files.hostsFile();
    }

    /** The servers that make a TLS handshake fail in a chosen way, started on first use. */
    public synchronized FaultFixtures faults() {
        if (faults == null) {
            faults = new FaultFixtures(files.pki());
        }
        return faults;
    }

    @Override
    public void close() throws Exception {
        if (faults != null) {
            faults.close();
        }
        brokerHandle.close();
        if (localDeployment != null) {
            localDeployment.closeAsTheJvmExits(); // the whole run is over: the test JVM exits next
        }
        ClassDataArchives.OF_THIS_RUN.delete();
        files.close();
    }
}
