package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import serverless.harness.Broker.Refusal;
import serverless.harness.Broker.Trait;
import serverless.harness.broker.PublishRecord;
import serverless.harness.broker.Quota;
import serverless.harness.broker.QuotaRefusal;

/**
 * Serverless lets one client publish 10 messages a second; over that it refuses a QoS 1 message (MQTT 5
 * PUBACK 0x97) or, for an MQTT 3.1.1 client, acknowledges and drops it. Every example, left at its defaults,
 * paces itself to stay within that (MQTT_PUBLISH_RATE, default 10), and says so in one line when it is made
 * to publish faster. The client id quota is a fault case ({@link Fault#CLIENT_ID_TOO_LONG}).
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(180)
class QuotaIT {

    private static final int MESSAGES = 30;
    private static final int SERVERLESS_RATE = 10;
    /** What 30 messages at 10 a second take at least: 29 gaps of 100 ms. */
    private static final Duration PACED = Duration.ofMillis((MESSAGES - 1) * 1000L / SERVERLESS_RATE);
    /** Network jitter may bring two paced PUBLISHes closer at the broker than they left the client. */
    private static final Duration JITTER = Duration.ofMillis(300);
    /** Above the quota: the examples' window lets that through as fast as the PUBACKs come back. */
    private static final String ABOVE_THE_RATE = "1000";
    /** An MQTT 5 example is told at its first refused PUBACK. */
    private static final Duration TOLD_BOUND = Duration.ofSeconds(15);
    /** An MQTT 3.1.1 example cannot be told: it ends when nothing has come back for its 20 s. */
    private static final Duration DROPPED_BOUND = Duration.ofSeconds(35);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Example.class)
    void atItsDefaultPaceEveryMessageComesBackAndNoneIsRefused(Example example, TestBed bed) {
        Broker broker = bed.broker();
        ExampleRun run = ExampleRun.of(example, broker, "paced-" + example.name().toLowerCase(Locale.ROOT))
                .set("MQTT_MESSAGES", String.valueOf(MESSAGES)); // MQTT_PUBLISH_RATE left at its default

        RunResult result = run.execute();

        RoundTripAssertions.assertCompleteRoundTrip(result, run, broker, MESSAGES);
        assertTrue(result.sinceFirstLine().compareTo(PACED) >= 0, () -> "30 messages at the default pace take at least "
                + PACED.toMillis() + " ms, this run " + result.sinceFirstLine().toMillis() + " ms: " + result.transcript());
        if (broker.has(Trait.CONNECTION_LOG)) {
            List<PublishRecord> publishes = broker.publishes().stream()
                    .filter(publish -> publish.clientId().equals(run.clientId())).toList();
            Duration spread = Duration.between(publishes.get(0).time(), publishes.get(publishes.size() - 1).time());
            assertTrue(spread.plus(JITTER).compareTo(PACED) >= 0, () -> "the broker got the " + publishes.size()
                    + " PUBLISHes within " + spread.toMillis() + " ms, faster than 10 a second");
            assertEquals(List.of(), refusalsOf(broker, run), "the broker refused none of them");
        }
    }

    /**
     * All examples over the rate at once, each started when the one before it has connected: the MQTT 3.1.1 ones
     * end only after 20 s without progress, and waiting for them side by side keeps one test thread, not four,
     * idle for that time.
     */
    @TestFactory
    Stream<DynamicTest> aboveTheRateEachSaysSoInOneLine(TestBed bed) {
        Broker broker = bed.broker();
        assumeTrue(broker.refuses(Refusal.PUBLISHES_OVER_RATE),
                () -> "not tested: " + broker.lacks(Refusal.PUBLISHES_OVER_RATE));
        Map<Example, ExampleRun> runs = new EnumMap<>(Example.class);
        Map<Example, RunningProgram> running = new EnumMap<>(Example.class);
        for (Example example : Example.values()) {
            if (example.unavailableReason().isPresent()) {
                continue; // reported below as a skipped test, with its reason
            }
            ExampleRun run = ExampleRun.of(example, broker, "over-rate-" + example.name().toLowerCase(Locale.ROOT))
                    .set("MQTT_MESSAGES", String.valueOf(MESSAGES))
                    .set("MQTT_PUBLISH_RATE", ABOVE_THE_RATE);
            RunningProgram process = run.start();
            runs.put(example, run);
            running.put(example, process);
            await(example + " connected").atMost(TOLD_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || process.stdoutSoFar().contains("Connected with client id"));
        }
        Map<Example, RunResult> results = new EnumMap<>(Example.class);
        running.forEach((example, process) -> results.put(example, process.awaitResult()));
        return Arrays.stream(Example.values()).map(example -> DynamicTest.dynamicTest(example.toString(), () -> {
            example.unavailableReason().ifPresent(Assumptions::abort);
            assertSaysSoInOneLine(example, runs.get(example), results.get(example), broker);
        }));
    }

    private static void assertSaysSoInOneLine(Example example, ExampleRun run, RunResult result, Broker broker) {
        // MQTT 5 is told (PUBACK 0x97); MQTT 3.1.1 gets plain PUBACKs and misses the dropped messages.
        List<String> phrases = example.speaksMqtt5()
                ? List.of("quota exceeded", "MQTT_PUBLISH_RATE")
                : List.of("did not come back", "ACL", "MQTT_PUBLISH_RATE");
        Duration bound = example.speaksMqtt5() ? TOLD_BOUND : DROPPED_BOUND;
        ErrorLineAssertions.assertEndsInOneErrorLine(result, new ErrorLineAssertions.ExpectedError(1, phrases, bound),
                broker.password(),
                () -> assertTrue(!broker.has(Trait.CONNECTION_LOG) || refusalsOf(broker, run).contains(Quota.PUBLISH_RATE),
                        "the broker refused messages for the publish rate, and nothing else made the example fail"));
    }

    private static List<Quota> refusalsOf(Broker broker, ExampleRun run) {
        return broker.quotaRefusals().stream().filter(refusal -> refusal.clientId().equals(run.clientId()))
                .map(QuotaRefusal::quota).distinct().toList();
    }
}
