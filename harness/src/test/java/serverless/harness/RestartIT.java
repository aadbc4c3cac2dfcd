package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every example survives a broker restart without losing a QoS 1 message: all of them run at once with
 * thousands of messages each, the broker is stopped in the middle and started again on the same ports
 * with the sessions it had, and every example must still end with exit 0, every message back, and the
 * drop and the reconnect reported.
 *
 * <p>The restart uses a broker of its own, so it does not disturb the other tests' runs.
 */
@ExtendWith(TestBedExtension.class)
@Timeout(240)
class RestartIT {

    private static final int MESSAGES = 5000;
    /** Messages the broker must have seen from every example before the restart: proof they are mid-run. */
    private static final int BEFORE_RESTART = 100;

    @TestFactory
    Stream<DynamicTest> everyExampleSurvivesABrokerRestart(TestBed bed) throws Exception {
        Map<Example, ExampleRun> runs = new LinkedHashMap<>();
        Map<Example, RunResult> results = new LinkedHashMap<>();
        EmbeddedServerlessBroker broker = EmbeddedServerlessBroker.start(bed.pki(), bed.hostsFile(),
                "restart-user", TestBed.randomSecret());
        try (broker) {
            Map<Example, ExampleRunner.Running> running = new LinkedHashMap<>();
            for (Example example : Example.values()) {
                ExampleRun run = ExampleRun.of(example, broker, "restart-" + example.name().toLowerCase())
                        .set("MQTT_MESSAGES", String.valueOf(MESSAGES));
                runs.put(example, run);
                running.put(example, run.start());
            }

            await("every example in the middle of its run").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> runs.keySet().stream().allMatch(example ->
                            !running.get(example).isAlive() || published(broker, runs.get(example)) >= BEFORE_RESTART));
            long restartStart = System.nanoTime();
            broker.restart();
            System.out.printf("[harness] broker restarted in %d ms while %d examples were running%n",
                    Duration.ofNanos(System.nanoTime() - restartStart).toMillis(), running.size());

            running.forEach((example, process) -> results.put(example, process.awaitResult()));
        }
        return Arrays.stream(Example.values()).map(example -> DynamicTest.dynamicTest(example.toString(), () -> {
            RunResult result = results.get(example);
            RoundTripAssertions.assertCompleteRoundTrip(result, runs.get(example), broker, MESSAGES);
            List<String> reconnects = RoundTripAssertions.reconnectLines(result);
            assertTrue(reconnects.stream().anyMatch(line -> line.startsWith("Connection lost"))
                    && reconnects.stream().anyMatch(line -> line.startsWith("Reconnected")),
                    () -> "the restart must have been noticed and survived: " + result.transcript());
            System.out.printf("[harness] %s: %s after the restart, %s, in %d ms%n", example,
                    reconnects, result.stdoutLines().stream().filter(line -> line.startsWith("Received")).findFirst().orElse(""),
                    result.duration().toMillis());
        }));
    }

    private static long published(Broker broker, ExampleRun run) {
        return broker.publishes().stream().filter(publish -> publish.clientId().equals(run.clientId())).count();
    }
}
