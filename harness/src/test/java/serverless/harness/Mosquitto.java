package serverless.harness;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import serverless.harness.broker.Folders;
import serverless.harness.pki.TestPki;

/**
 * A Mosquitto 2 on this machine, set up as a user sets up a TLS-only broker (mosquitto.conf(5)): a TLS listener
 * and a TLS WebSocket listener on free loopback ports with the run's test certificate ({@code cafile},
 * {@code certfile}, {@code keyfile}), a {@code password_file} made with {@code mosquitto_passwd -b}, and
 * {@code allow_anonymous false}. Its log goes to a file in its folder, shown when it does not start.
 *
 * <p>It runs as the user the tests run as ({@code user}): started as root, Mosquitto would otherwise drop to user
 * mosquitto before it reads its files, which are in folders only the tests' user can read.
 */
final class Mosquitto implements AutoCloseable {

    /** Where Debian puts the broker, outside an ordinary user's PATH. */
    private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");
    private static final String NO_WEBSOCKETS = "Websockets support not available";
    private static final Duration START = Duration.ofSeconds(10);
    private static final Duration STOP = Duration.ofSeconds(5);
    /** Where it listens: the address the run's hosts file gives the deployment's name. */
    private static final String LOOPBACK = "127.0.0.1";

    private final Path directory;
    private final Process process;
    private final Endpoint endpoint;
    private final Optional<String> noWebSocket;
    private final Thread stopAtExit;

    private Mosquitto(Path directory, Process process, Endpoint endpoint, Optional<String> noWebSocket) {
        this.directory = directory;
        this.process = process;
        this.endpoint = endpoint;
        this.noWebSocket = noWebSocket;
        this.stopAtExit = new Thread(process::destroy, "mosquitto-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit); // should the test JVM be stopped before close()
    }

    /** Why Mosquitto cannot be started here (not installed), or empty when it can. */
    static Optional<String> unavailableReason() {
        if (binary("mosquitto").isEmpty()) {
            return Optional.of("mosquitto is not installed (neither on the PATH nor " + DEBIAN_BINARY
                    + "; Debian: apt-get install mosquitto)");
        }
        return binary("mosquitto_passwd").isEmpty()
                ? Optional.of("mosquitto_passwd, which makes its password file, is not on the PATH")
                : Optional.empty();
    }

    /**
     * Starts Mosquitto with the certificate of {@code pki} (for its deployment host name, which is the broker's name)
     * and a user of its own, and returns once both listeners accept connections. A Mosquitto built without
     * WebSocket support is started with its TLS listener alone ({@link #noWebSocket()} says so).
     */
    static Mosquitto start(TestPki pki) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("mosquitto-");
        try {
            String password = DeploymentFiles.randomSecret();
            Path passwords = directory.resolve("passwd");
            // The password is on this command line for a moment: a throwaway one, for a broker on loopback only.
            run(List.of(binary("mosquitto_passwd").orElseThrow().toString(), "-c", "-b", passwords.toString(),
                    "example-user", password), directory.resolve("mosquitto_passwd.log"));
            boolean webSocket = true;
            for (int attempt = 1; ; attempt++) {
                int tlsPort = freePort();
                int wssPort = webSocket ? freePort() : FaultFixtures.closedPort();
                Path config = Files.writeString(directory.resolve("mosquitto.conf"),
                        config(pki, passwords, tlsPort, webSocket ? Optional.of(wssPort) : Optional.empty()));
                Path log = directory.resolve("mosquitto.log");
                Process process = new ProcessBuilder(binary("mosquitto").orElseThrow().toString(), "-c", config.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                boolean withWebSocket = webSocket;
                try {
                    await("mosquitto listening on " + tlsPort + (webSocket ? " and " + wssPort : "")).atMost(START)
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> !process.isAlive() || listening(tlsPort) && (!withWebSocket || listening(wssPort)));
                } catch (ConditionTimeoutException e) {
                    process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
                    throw new IllegalStateException("mosquitto did not listen within " + START.toSeconds() + " s:\n"
                            + Files.readString(log), e);
                }
                if (process.isAlive()) {
                    Endpoint endpoint = new Endpoint(pki.deploymentHost(), tlsPort, wssPort, "/mqtt",
                            Optional.of(pki.caCertificate()), "example-user", password, Optional.empty());
                    return new Mosquitto(directory, process, endpoint, webSocket ? Optional.empty()
                            : Optional.of("this mosquitto has no WebSocket listener: it was built without WebSocket"
                                    + " support (\"" + NO_WEBSOCKETS + "\")"));
                }
                String output = Files.readString(log);
                if (webSocket && output.contains(NO_WEBSOCKETS)) {
                    webSocket = false;
                } else if (!output.contains("Address already in use") || attempt == 3) {
                    throw new IllegalStateException("mosquitto did not start (exit code " + process.exitValue() + "):\n"
                            + output);
                } // else another process took a port between freePort() and mosquitto's bind: again, on others
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            Folders.deleteQuietly(directory);
            throw e;
        }
    }

    /** The broker as a user's MQTT_* variables would describe it. */
    Endpoint endpoint() {
        return endpoint;
    }

    /** Why it has no WebSocket listener, or empty when it has one. */
    Optional<String> noWebSocket() {
        return noWebSocket;
    }

    /** Stops the broker (SIGTERM, then SIGKILL) and deletes its folder; fails if the process is still there. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
        Folders.deleteQuietly(directory);
        if (process.isAlive()) {
            throw new IllegalStateException("mosquitto (pid " + process.pid() + ") did not stop");
        }
    }

    private static String config(TestPki pki, Path passwords, int tlsPort, Optional<Integer> wssPort) {
        String tls = "cafile " + pki.caCertificate() + "\ncertfile " + pki.serverCertificateChain()
                + "\nkeyfile " + pki.serverPrivateKey() + "\n";
        return "# A TLS-only broker with password authentication, written by the harness' MosquittoIT.\n"
                + "user " + System.getProperty("user.name") + "\n"
                + "per_listener_settings false\n"
                + "allow_anonymous false\n"
                + "password_file " + passwords + "\n"
                + "\nlistener " + tlsPort + " " + LOOPBACK + "\n" + tls
                + wssPort.map(port -> "\nlistener " + port + " " + LOOPBACK + "\nprotocol websockets\n" + tls).orElse("");
    }

    /** {@code name} on the PATH, else where Debian puts it. */
    private static Optional<Path> binary(String name) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                                .filter(folder -> !folder.isEmpty()).map(Path::of),
                        Stream.of(DEBIAN_BINARY.getParent(), Path.of("/usr/bin")))
                .map(folder -> folder.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " did not end within " + STOP);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed (exit code "
                    + process.exitValue() + "): " + Files.readString(log));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
