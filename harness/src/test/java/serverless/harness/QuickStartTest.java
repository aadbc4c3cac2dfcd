package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serverless.harness.QuickStart.Outcome;

/**
 * The quick start's verdict, without running anything: the table marks every run that did not pass, and one
 * such run makes the exit code (Maven's, through exec:java) non-zero. The examples themselves are proven by
 * the suite.
 */
class QuickStartTest {

    private static Outcome outcome(String example, int exitCode, boolean timedOut) {
        return new Outcome(example, "Paho, MQTT 3.1.1", "TLS",
                new RunResult(exitCode, "", "", Duration.ofMillis(1_234), timedOut));
    }

    @Test
    void allPassedIsExitCodeZero() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                outcome("doctor Doctor", 0, false));

        assertEquals(0, QuickStart.exitCode(outcomes));
        String table = QuickStart.table(outcomes);
        assertTrue(table.endsWith("All 2 passed.\n"), table);
        assertFalse(table.contains("FAILED"), table);
    }

    @Test
    void oneFailedRunMakesTheExitCodeNonZeroAndIsMarkedInTheTable() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                outcome("vertx-example VertxExample", 1, false), outcome("doctor Doctor", 0, false));

        assertEquals(1, QuickStart.exitCode(outcomes));
        List<String> lines = QuickStart.table(outcomes).lines().toList();
        assertEquals(List.of("example", "stack", "protocol", "result", "time"), List.of(lines.get(0).split("\\s{2,}")));
        assertEquals(List.of("vertx-example VertxExample", "Paho, MQTT 3.1.1", "TLS", "FAILED (exit 1)", "1.2 s"),
                List.of(lines.get(2).split("\\s{2,}")));
        assertTrue(lines.get(1).contains("passed") && lines.get(3).contains("passed"), String.join("\n", lines));
        assertEquals("1 of 3 FAILED: vertx-example VertxExample (their output is above).", lines.get(4));
    }

    @Test
    void aRunKilledAtTheBoundFailsEvenThoughItsExitCodeWasNotOne() {
        List<Outcome> outcomes = List.of(outcome("hivemq-example HiveMqExample", 0, true));

        assertEquals(1, QuickStart.exitCode(outcomes));
        assertTrue(QuickStart.table(outcomes).contains("FAILED (killed after 60 s)"), QuickStart.table(outcomes));
    }

    @Test
    void aProgramWhoseRuntimeIsMissingIsListedAsNotRunAndNeverCountedAsPassed() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                new Outcome("python-example example.py", "paho-mqtt, MQTT 3.1.1", "TLS", null,
                        "python3 is not installed; python-example needs Python 3.10 or newer"));

        assertEquals(0, QuickStart.exitCode(outcomes), "what ran passed");
        List<String> lines = QuickStart.table(outcomes).lines().toList();
        assertEquals(List.of("python-example example.py", "paho-mqtt, MQTT 3.1.1", "TLS", "not run", "-"),
                List.of(lines.get(2).split("\\s{2,}")));
        assertEquals("1 of 2 passed.", lines.get(3));
        assertEquals("Not run: python-example example.py: python3 is not installed; python-example needs Python 3.10"
                + " or newer.", lines.get(4));
    }

    @Test
    void nothingRunIsNotAPass() {
        assertEquals(1, QuickStart.exitCode(List.of()));
    }

    /** As README tells users: the same exports for every program, MQTT_PORT=$MQTT_WS_PORT for WebSocket. */
    @Test
    void eachExampleGetsThePortOfItsOwnTransport() {
        Map<String, String> deployment = Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "1111",
                "MQTT_WS_PORT", "2222", "MQTT_WS_PATH", "/mqtt", "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p");

        Map<String, String> tls = QuickStart.exampleVariables(deployment, Example.Transport.TLS);
        Map<String, String> wss = QuickStart.exampleVariables(deployment, Example.Transport.WSS);

        assertEquals(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "1111", "MQTT_USERNAME", "u",
                "MQTT_PASSWORD", "p"), tls);
        assertEquals(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "2222", "MQTT_WS_PATH", "/mqtt",
                "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p"), wss);
    }
}
