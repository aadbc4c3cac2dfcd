package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a successful run of any example must have printed (CONTRIBUTING.md, "Output and exit codes"). A failed run's
 * contract is {@link ErrorLineAssertions}.
 */
final class RoundTripAssertions {

    /** The lines an example prints when its connection drops and comes back; allowed anywhere in a run. */
    static final Pattern RECONNECT_LINE = Pattern.compile("^(Connection lost \\(.*\\); reconnecting|Reconnected \\(session present: (true|false)\\))$");

    private static final Pattern CONNECTED_LINE = Pattern.compile("Connected with client id (\\S+)");

    private RoundTripAssertions() {
    }

    /**
     * Exit 0, the contract's lines in order with every message back, nothing on standard error (no library
     * log, no JVM warning: on Java 25 Netty 4.1 would print four about sun.misc.Unsafe), and no password anywhere.
     */
    static void assertCompleteRoundTrip(RunResult result, ExampleRun run, Broker broker, int messages) {
        assertCompleteRoundTrip(result, run.clientId(), run.topic(), broker, messages);
    }

    /**
     * A single-file starter's round trip: the same contract for its one message, with the client id it chose and
     * printed (at most 23 characters, what every broker accepts) and its topic, {@code serverless-examples/<client id>}.
     */
    static String assertStarterRoundTrip(RunResult result, Broker broker) {
        String clientId = printedClientId(result);
        assertTrue(clientId.length() <= 23, () -> "a client id of at most 23 characters: " + clientId);
        assertCompleteRoundTrip(result, clientId, "serverless-examples/" + clientId, broker, 1);
        return clientId;
    }

    /** The client id of the line "Connected with client id ...", which a program that names its own prints. */
    static String printedClientId(RunResult result) {
        return result.stdoutLines().stream().map(CONNECTED_LINE::matcher).filter(Matcher::matches).map(line -> line.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("no line \"Connected with client id ...\": " + result.transcript()));
    }

    private static void assertCompleteRoundTrip(RunResult result, String clientId, String topicName, Broker broker, int messages) {
        assertEquals(0, result.exitCode(), result::transcript);
        assertEquals("", result.stderr(), () -> "nothing on standard error: " + result.transcript());
        String topic = Pattern.quote(topicName);
        assertLinesMatch(List.of(
                "Connecting to (ssl|wss)://" + Pattern.quote(broker.host()) + ":\\d+(/\\S*)? as "
                        + Pattern.quote(broker.username()) + " \\(trust: .+\\)",
                "Connected with client id " + Pattern.quote(clientId),
                "Subscribed to " + topic + " at QoS 1",
                "Published " + messages + "/" + messages + " messages to " + topic + " at QoS 1",
                "Received " + messages + "/" + messages + " messages on " + topic + " \\(\\d+ duplicates\\)",
                "Disconnected"), withoutReconnectLines(result), result::transcript);
        assertFalse(result.stdout().contains(broker.password()) || result.stderr().contains(broker.password()),
                "the password must never be printed");
    }

    static List<String> reconnectLines(RunResult result) {
        return result.stdoutLines().stream().filter(line -> RECONNECT_LINE.matcher(line).matches()).toList();
    }

    private static List<String> withoutReconnectLines(RunResult result) {
        return result.stdoutLines().stream().filter(line -> !RECONNECT_LINE.matcher(line).matches()).toList();
    }
}
