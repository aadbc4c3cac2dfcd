package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Report report = new Report(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            new Redactor(Optional.empty()));

    private List<String> printed() {
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aStepLineHasVerdictStepWhatItSawAndTime() {
        StepResult result = StepResult.pass(Step.ROUND_TRIP, "came back").took(Duration.ofMillis(42));

        assertEquals("PASS  round-trip  came back  (42 ms)", Report.line(result));
    }

    @Test
    void aSkippedStepHasNoTime() {
        StepResult result = StepResult.skip(Step.SNI, "not run: tls failed").took(Duration.ofMillis(3));

        assertEquals("SKIP  sni         not run: tls failed", Report.line(result));
    }

    @Test
    void onlyTheFirstFailureGetsWhatToDo() {
        report.add(StepResult.fail(Step.PORTS, "refused", "open the port", "ConnectException"));
        report.add(StepResult.fail(Step.TLS, "closed", "fix SNI", "SSLHandshakeException"));

        List<String> lines = printed();
        assertEquals(List.of("FAIL  ports       refused", "      What to do: open the port", "FAIL  tls         closed"), lines);
        assertEquals(Step.PORTS, report.firstFailure().orElseThrow().step());
        assertEquals(1, report.exitCode());
    }

    @Test
    void detailsComeBeforeWhatToDoAndWarningsGetANote() {
        report.add(StepResult.warn(Step.ADDRESS, "an IP address", "use the domain"));
        report.add(StepResult.fail(Step.TLS, "not trusted", "set MQTT_CA_FILE", null).withDetails(List.of("[0] CN=x")));

        assertEquals(List.of("WARN  address     an IP address", "      Note: use the domain",
                "FAIL  tls         not trusted", "      [0] CN=x", "      What to do: set MQTT_CA_FILE"), printed());
    }

    @Test
    void warningsDoNotFailTheRun() {
        report.add(StepResult.pass(Step.ADDRESS, "resolves"));
        report.add(StepResult.warn(Step.SNI, "accepted without SNI", "proxy?"));

        assertEquals(0, report.exitCode());
        assertEquals("Result: PASS, every step passed (1 warning)", report.outcome());
    }

    @Test
    void aLaterWarningForAnEarlierStepChangesItsVerdict() {
        report.add(StepResult.pass(Step.ADDRESS, "resolves"));
        report.add(StepResult.fail(Step.TLS, "does not match", "use the console's domain", null));
        report.add(StepResult.warn(Step.ADDRESS, "not in the certificate", "no CNAME"));

        assertEquals(Verdict.WARN, report.verdictOf(Step.ADDRESS));
        assertEquals(Verdict.FAIL, report.verdictOf(Step.TLS));
        assertEquals("Result: FAIL at tls: does not match", report.outcome());
    }

    @Test
    void theRootFailureIsNamedThroughSkippedSteps() {
        report.add(StepResult.fail(Step.PORTS, "refused", "open it", null));
        report.add(StepResult.skip(Step.TLS, "not run: ports failed"));

        assertEquals("ports failed", report.rootFailureBehind(Step.TLS));
        assertEquals("ports failed", report.rootFailureBehind(Step.PORTS));
    }

    @Test
    void everyPrintedLinePassesTheRedactor() {
        Report redacting = new Report(new PrintStream(buffer, true, StandardCharsets.UTF_8),
                new Redactor(Optional.of("s3cret-Pa55")));
        redacting.add(StepResult.fail(Step.MQTT, "refused s3cret-Pa55", "check s3cret-Pa55", "error s3cret-Pa55")
                .withDetails(List.of("detail s3cret-Pa55")));
        redacting.print("header s3cret-Pa55");

        String text = buffer.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("s3cret-Pa55"), text);
        assertTrue(text.contains("refused " + Redactor.MASK), text);
    }
}
