package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import serverless.harness.broker.EmbeddedBroker;
import serverless.harness.pki.TestPki;

/**
 * A Serverless-like broker on this machine, for trying an example by hand:
 * {@code ./mvnw -q -pl harness compile exec:java} (optionally {@code -Dexec.args=<deployment host>}).
 * It generates a test PKI and one user with a random password in a temporary folder, starts the
 * {@link EmbeddedBroker}, prints the variables to export, and runs until Ctrl-C, which stops it and
 * deletes the folder.
 */
public final class LocalBroker {

    private static final String DEFAULT_HOST = "deployment.emqxsl.test";
    private static final String USER = "local-user";

    private LocalBroker() {
    }

    public static void main(String[] args) throws Exception {
        // Before anything logs: the HiveMQ jar ships a logback.xml at INFO; this one keeps the broker at WARN.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "serverless/harness/local-broker-logback.xml");
        }
        String host = args.length > 0 ? args[0] : DEFAULT_HOST; // dotted: the JDK sends SNI only for such names
        Path folder = Files.createTempDirectory("serverless-local-broker-");
        TestPki pki = TestPki.generate(folder.resolve("pki"), host);
        Path hostsFile = Files.writeString(folder.resolve("hosts"), "127.0.0.1 " + host + "\n127.0.0.1 localhost\n");
        String password = randomPassword(); // a throwaway credential for a local broker: printed below on purpose
        EmbeddedBroker broker = EmbeddedBroker.start(pki, host, Map.of(USER, password));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the local broker...");
            broker.close();
            deleteRecursively(folder);
        }, "local-broker-shutdown"));

        System.out.printf("Serverless-like local broker for %s is up (started in %.1f s); Ctrl-C stops it.%n%n",
                host, broker.startupTime().toMillis() / 1000.0);
        System.out.println("# Paste these into another shell. MQTT_PORT stands for Serverless' 8883 (MQTT over TLS),");
        System.out.println("# MQTT_WS_PORT for 8084 (MQTT over WebSocket with TLS, path /mqtt).");
        System.out.printf("export MQTT_HOST=%s MQTT_PORT=%d MQTT_WS_PORT=%d MQTT_WS_PATH=%s MQTT_USERNAME=%s MQTT_PASSWORD=%s MQTT_CA_FILE=%s%n",
                host, broker.tlsPort(), broker.wssPort(), broker.wsPath(), USER, password, pki.caCertificate().toAbsolutePath());
        // The example's JVM resolves the test host name through this file instead of /etc/hosts (nothing to edit).
        System.out.println("# Java programs started from that shell resolve " + host + " through this file, without editing");
        System.out.println("# /etc/hosts. They resolve nothing else, Maven included: build first, or unset it to run Maven.");
        System.out.println("export JAVA_TOOL_OPTIONS=-Djdk.net.hosts.file=" + hostsFile.toAbsolutePath());
        System.out.println("# Then, for example: java -jar paho-example/target/paho-example.jar");
        System.out.println("#   WebSocket:  MQTT_PORT=$MQTT_WS_PORT java -jar websocket-example/target/websocket-example.jar");
        System.out.flush();
        Thread.currentThread().join(); // until Ctrl-C
    }

    private static String randomPassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
