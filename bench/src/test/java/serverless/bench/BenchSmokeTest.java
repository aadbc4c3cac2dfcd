package serverless.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark works, at a size that costs the build little: every stack over every transport it has (Node.js,
 * Python and Go where they are installed, as in the harness), against
 * the local broker, a few hundred messages, one round, no warm-up of the stacks and a small one of the broker. The
 * Java stacks share one JVM (BENCH_SHARED_JVM),
 * with the C1 compiler only and the serial collector, as the harness runs its short-lived JVMs; the full run gives
 * each its own. Fails if any stack fails, a figure or ratio is missing, or a file is not written.
 *
 * <p>Part of the complete tier ({@code ./mvnw verify -Pcomplete}), not of every build: it takes most of a minute.
 */
@Tag("complete")
class BenchSmokeTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyStackIsMeasuredAndTheFilesAreWritten() throws Exception {
        Path output = Path.of("target", "smoke");
        BenchSettings settings = BenchSettings.from(Map.of(
                "BENCH_MESSAGES", "300",
                "BENCH_ROUNDS", "1",
                "BENCH_CONNECTS", "3",
                "BENCH_LATENCY_MESSAGES", "100",
                "BENCH_WARMUP", "0",
                // Small, but the broker's warm-up runs as in the full run: both its clients must finish.
                "BENCH_BROKER_WARMUP", "200",
                "BENCH_JVM_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m",
                // Every Java stack in one JVM, one after the other: one JVM start instead of ten.
                "BENCH_SHARED_JVM", "true",
                "BENCH_OUTPUT", output.toString()), output);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Results results = Bench.run(settings, new PrintStream(console, true, StandardCharsets.UTF_8));

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(13, results.stacks().size(),
                "every stack and transport: 5 Java stacks, 4 of them over WSS too, Node.js, Python, Go, and the floor");
        // Node.js, Python or Go may be missing on a machine (the harness skips their examples there too); the Java
        // stacks never are.
        assertAll(results.stacks().stream().filter(figures -> figures.stack.program().isEmpty()
                || figures.notRunReason() == null).map(figures -> () -> {
            assertTrue(figures.failures().isEmpty(), figures.name() + " failed: " + figures.failures());
            assertTrue(results.value(figures, Figure.QOS1) > 0, figures.name() + " QoS 1 throughput");
            assertTrue(results.value(figures, Figure.LATENCY_P99) > 0, figures.name() + " p99 latency");
            assertTrue(results.value(figures, Figure.CONNECT_P50) > 0, figures.name() + " connect time");
            assertTrue(results.toFloor(figures, Figure.QOS1).isPresent(), figures.name() + " ratio to the floor");
        }));
        List<String> csv = Files.readAllLines(output.resolve("bench-results.csv"));
        assertEquals(14, csv.size(), "a header and one row per stack and transport");
        assertTrue(csv.get(0).contains(",qos1_msgs_per_s,qos1_msgs_per_s_min,qos1_msgs_per_s_median,qos1_msgs_per_s_max,"),
                csv.get(0));
        String json = Files.readString(output.resolve("bench-results.json"));
        assertTrue(json.contains("\"vs_floor\"") && json.contains("\"spread\"") && json.contains("\"load\""), json);
        assertEquals(2, Files.readAllLines(output.resolve("logs").resolve("broker-warmup.out")).stream()
                .filter(line -> line.startsWith(StackRun.RESULT_PREFIX)).count(),
                "the broker's warm-up: the floor over TLS and the HiveMQ client over WSS, each to the end");
        byte[] png = Files.readAllBytes(output.resolve("bench-chart.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart");
        assertTrue(printed.contains("Machine: ") && printed.contains("Broker: ") && printed.contains("Ratios"), printed);
        assertTrue(printed.contains("Warmed up in ") && printed.indexOf("Warmed up in ") < printed.indexOf("round 1/1"),
                "the broker is warmed up before the first stack\n" + printed);
        assertTrue(printed.contains("Load average (1 min): ") || printed.contains("Load: not measured"), printed);
        // The password is a secret even for a local broker: it goes to the stacks' JVMs through their environment only.
        assertTrue(!printed.contains("MQTT_PASSWORD="), "no password in the output");
    }
}
