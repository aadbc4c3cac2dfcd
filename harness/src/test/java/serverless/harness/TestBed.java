package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import org.junit.jupiter.api.extension.ExtensionContext;
import serverless.harness.pki.TestPki;

/**
 * Everything one test run shares, made once and closed at the end: a test PKI generated now (nothing
 * committed can expire), a hosts file for the examples' JVMs, the broker, and the fault servers.
 */
public final class TestBed implements ExtensionContext.Store.CloseableResource {

    /** The test deployment's host name. Dotted, so the JDK sends it as SNI, like a real deployment's. */
    public static final String DEPLOYMENT_HOST = "deployment.emqxsl.test";
    /** Another name for this machine: a CNAME-like alias the deployment's certificate and SNI check reject. */
    public static final String OTHER_HOST = "other.emqxsl.test";

    private final Path directory;
    private final TestPki pki;
    private final Path hostsFile;
    private final Broker broker;
    private final AutoCloseable brokerHandle;
    private FaultFixtures faults;

    private TestBed() throws Exception {
        directory = Files.createTempDirectory("serverless-harness-");
        pki = TestPki.generate(directory.resolve("pki"), DEPLOYMENT_HOST);
        hostsFile = Files.writeString(directory.resolve("hosts"),
                "127.0.0.1 " + DEPLOYMENT_HOST + "\n127.0.0.1 " + OTHER_HOST + "\n127.0.0.1 localhost\n");
        EmbeddedServerlessBroker embedded = EmbeddedServerlessBroker.start(pki, hostsFile, "example-user", randomSecret());
        broker = embedded;
        brokerHandle = embedded;
        System.out.println("[harness] broker: " + broker.description());
    }

    /** The test bed of this run, made on first use and closed when the whole run ends. */
    public static TestBed of(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestBed.class, key -> create(), TestBed.class);
    }

    private static TestBed create() {
        try {
            return new TestBed();
        } catch (Exception e) {
            throw new IllegalStateException("the test bed could not be set up: " + e.getMessage(), e);
        }
    }

    public Broker broker() {
        return broker;
    }

    public TestPki pki() {
        return pki;
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
        deleteRecursively(directory);
    }

    static String randomSecret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
