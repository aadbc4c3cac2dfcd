package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every example, run as a user runs it, connects over TLS, subscribes, publishes at QoS 1, receives its own
 * message back and disconnects, printing exactly the lines CONTRIBUTING.md promises and exiting 0.
 */
@ExtendWith(TestBedExtension.class)
@Timeout(60)
class RoundTripIT {

    /** A round trip on this machine takes a second or two; far more means something waited on a timeout. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Example.class)
    void roundTrip(Example example, Broker broker) {
        ExampleRun run = ExampleRun.of(example, broker, "roundtrip-" + example.name().toLowerCase());

        RunResult result = run.execute();

        assertEquals(0, result.exitCode(), result::transcript);
        assertTrue(result.duration().compareTo(BOUND) < 0, () -> "took longer than " + BOUND + ": " + result.transcript());
        String topic = Pattern.quote(run.topic());
        assertLinesMatch(List.of(
                "Connecting to (ssl|wss)://" + Pattern.quote(broker.host()) + ":\\d+(/\\S*)? as "
                        + Pattern.quote(broker.username()) + " \\(trust: .+\\)",
                "Connected with client id " + Pattern.quote(run.clientId()),
                "Subscribed to " + topic + " at QoS 1",
                "Published \".+\" to " + topic + " at QoS 1",
                "Received \".+\" on " + topic,
                "Disconnected"), result.stdoutLines(), result::transcript);
        assertEquals(quoted(result, "Published"), quoted(result, "Received"), "the message that came back is the one sent");
        assertFalse(result.stdout().contains(broker.password()) || result.stderr().contains(broker.password()),
                "the password must never be printed");

        if (broker.can(Broker.Capability.CONNECTION_LOG)) {
            await("the broker's record of this run").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertTrue(broker.connections().stream().anyMatch(connection ->
                        connection.clientId().equals(run.clientId()) && connection.accepted()
                                && connection.username().equals(broker.username())
                                && connection.sniHostname().equals(broker.host())),
                        () -> "no accepted connection by " + run.clientId() + " as " + broker.username()
                                + " with SNI " + broker.host() + " in " + broker.connections());
                assertTrue(broker.publishes().stream().anyMatch(publish ->
                        publish.clientId().equals(run.clientId()) && publish.topic().equals(run.topic())),
                        () -> "the broker saw no PUBLISH by " + run.clientId() + " on " + run.topic());
            });
        }
    }

    private static String quoted(RunResult result, String linePrefix) {
        Pattern quotedText = Pattern.compile("^" + linePrefix + " \"(.*)\" (to|on) ");
        return result.stdoutLines().stream()
                .map(quotedText::matcher)
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .findFirst()
                .orElseThrow();
    }
}
