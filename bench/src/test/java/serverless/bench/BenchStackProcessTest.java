package serverless.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How each stack's process is started: a Java stack as {@link StackRun} in a JVM of its own, the Node.js, Python and
 * Go stacks as the harness runs the examples (the Go stack as the binary that {@code go build} makes from bench/go,
 * with the harness' resolver added), each with the settings in its environment; and a Go stack that cannot run here
 * is reported as not run, with the reason, not as a failure.
 */
class BenchStackProcessTest {

    private static final Target LOCAL = new Target("deployment.emqxsl.test", 8883, 8084, "/mqtt", "bench", "secret",
            Optional.of(Path.of("ca.pem")));
    private static final Path HOSTS = Path.of("target", "hosts");

    @Test
    void theGoStackRunsTheBinaryBuiltFromBenchGoWithTheSettingsAndTheHostsFile() {
        BenchSettings settings = BenchSettings.from(Map.of("BENCH_WINDOW", "7"), Path.of("target"));

        ProcessBuilder builder = StackProcess.processBuilder(Stack.PAHO_GO, Transport.TLS, "bench-1234", Map.of(),
                settings, LOCAL, Optional.of(HOSTS));

        // The tests run in bench/: the binary is bench/go/target/bench-go-harness (GoProgram's name for a build
        // with the test resolver in it), started with no argument.
        assertEquals(List.of(Path.of("go", "target", "bench-go-harness").toAbsolutePath().toString()),
                builder.command());
        Map<String, String> env = builder.environment();
        assertEquals("paho-go", env.get("BENCH_STACK"));
        assertEquals("TLS", env.get("BENCH_TRANSPORT"));
        assertEquals("bench-1234", env.get("BENCH_CLIENT_ID"));
        assertEquals("7", env.get("BENCH_WINDOW"), "the same window as every stack");
        assertEquals("0", env.get("MQTT_PUBLISH_RATE"), "not paced against the local broker");
        assertEquals("deployment.emqxsl.test", env.get("MQTT_HOST"));
        assertEquals("secret", env.get("MQTT_PASSWORD"), "the password travels in the environment only");
        // Read by the resolver the build adds: the deployment's name resolves to the local broker in this process.
        assertEquals(HOSTS.toAbsolutePath().toString(), env.get("SERVERLESS_HOSTS_FILE"));
        assertFalse(env.containsKey("GODEBUG"), "no Go runtime settings from the caller's environment");
    }

    @Test
    void aJavaStackRunsStackRunInAJvmOfItsOwn() {
        BenchSettings settings = BenchSettings.from(Map.of(), Path.of("target"));

        List<String> command = StackProcess.processBuilder(Stack.VERTX, Transport.TLS, "bench-1", Map.of(), settings,
                LOCAL, Optional.of(HOSTS)).command();

        assertTrue(command.get(0).endsWith("java"), command.toString());
        assertTrue(command.contains("-Djdk.net.hosts.file=" + HOSTS), command.toString());
        assertEquals(StackRun.class.getName(), command.get(command.size() - 1));
    }

    @Test
    void theStacksOutsideTheJvmAreTheNodeJsPythonAndGoOnes() {
        assertEquals(List.of(Stack.MQTT_JS, Stack.PAHO_PYTHON, Stack.PAHO_GO), List.of(Stack.values()).stream()
                .filter(stack -> stack.program().isPresent()).toList());
        assertEquals("bench/go", Stack.PAHO_GO.program().orElseThrow().module());
        assertEquals(List.of(Transport.TLS), Stack.PAHO_GO.transports(), "TLS, the transport go-example shows");
        assertEquals("Paho Go 1.5.1, MQTT 3.1.1", Stack.PAHO_GO.label());
        assertEquals(List.of(Stack.PAHO_GO), BenchSettings.from(Map.of("BENCH_STACKS", "paho-go"), Path.of("target"))
                .stacks());
    }

    /**
     * Without Go on the PATH, the bench (in a JVM of its own, against a deployment given by MQTT_* variables, so that
     * it starts no broker) lists the Go stack as not run, says why, and exits 0: a missing runtime is not a failure.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void withoutGoTheGoStackIsNotRunAndTheReasonSaysWhatItNeeds(@TempDir Path temp) throws Exception {
        Path output = temp.resolve("output");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Bench.class.getName());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MQTT_") || name.startsWith("BENCH_"));
        env.put("PATH", Files.createDirectories(temp.resolve("empty")).toString()); // no go
        env.putAll(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_USERNAME", "bench", "MQTT_PASSWORD", "secret",
                "BENCH_STACKS", "paho-go", "BENCH_OUTPUT", output.toString()));
        builder.redirectErrorStream(true).redirectOutput(temp.resolve("console").toFile());

        Process process = builder.start();

        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the bench did not end");
        String console = Files.readString(temp.resolve("console"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), console);
        assertTrue(console.matches("(?s).*round 1/1  paho-go TLS +not run: go is not installed or does not run.*"),
                console);
        assertTrue(console.contains("bench/go needs Go 1.24 or newer (go.mod)"), console);
        String csv = Files.readString(output.resolve("bench-results.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.contains("paho-go,\"Paho Go 1.5.1, MQTT 3.1.1\",TLS,0,") && csv.contains("\"not run: go is not"),
                csv);
        assertFalse(console.contains("secret"), "the password is never printed");
    }
}
