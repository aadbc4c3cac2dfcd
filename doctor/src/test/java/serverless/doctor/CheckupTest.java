package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckupTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Report report = new Report(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            new Redactor(Optional.empty()));
    private final List<Step> ran = new ArrayList<>();
    private final List<StepResult> revisits = new ArrayList<>();

    private Map<Step, Checkup.Check> allPassingExcept(Map<Step, StepResult> outcomes) {
        Map<Step, Checkup.Check> checks = new EnumMap<>(Step.class);
        for (Step step : Step.values()) {
            checks.put(step, () -> {
                ran.add(step);
                return outcomes.getOrDefault(step, StepResult.pass(step, "fine"));
            });
        }
        return checks;
    }

    private List<Verdict> verdicts() {
        return List.of(Step.values()).stream().map(report::verdictOf).toList();
    }

    private void run(Map<Step, Checkup.Check> checks) {
        Checkup.run(checks, report, () -> {
            List<StepResult> taken = List.copyOf(revisits);
            revisits.clear();
            return taken;
        });
    }

    @Test
    void theStepsRunInTheTroubleshootingOrder() {
        run(allPassingExcept(Map.of()));

        assertEquals(List.of(Step.ADDRESS, Step.PORTS, Step.TLS, Step.SNI, Step.MQTT, Step.ROUND_TRIP), ran);
        assertEquals(List.of("address", "ports", "tls", "sni", "mqtt", "round-trip"),
                List.of(Step.values()).stream().map(Step::label).toList());
        assertEquals(0, report.exitCode());
    }

    @Test
    void everythingAfterAFailedPortsStepIsSkippedWithTheReason() {
        run(allPassingExcept(Map.of(Step.PORTS, StepResult.fail(Step.PORTS, "refused", "open it", "x"))));

        assertEquals(List.of(Step.ADDRESS, Step.PORTS), ran);
        assertEquals(List.of(Verdict.PASS, Verdict.FAIL, Verdict.SKIP, Verdict.SKIP, Verdict.SKIP, Verdict.SKIP), verdicts());
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("SKIP  round-trip  not run: ports failed"));
    }

    @Test
    void aWarningDoesNotStopTheStepsThatNeedIt() {
        run(allPassingExcept(Map.of(Step.SNI, StepResult.warn(Step.SNI, "accepted without SNI", "proxy?"))));

        assertEquals(6, ran.size());
        assertEquals(0, report.exitCode());
    }

    @Test
    void theSniStepDoesNotGateMqttButTlsDoes() {
        run(allPassingExcept(Map.of(Step.TLS, StepResult.fail(Step.TLS, "not trusted", "CA", "x"))));

        assertEquals(List.of(Step.ADDRESS, Step.PORTS, Step.TLS), ran);
        assertEquals("SKIP  sni         not run: tls failed", Report.line(report.results().get(3)));
        assertEquals("SKIP  mqtt        not run: tls failed", Report.line(report.results().get(4)));
    }

    @Test
    void aFailedMqttStepSkipsOnlyTheRoundTrip() {
        run(allPassingExcept(Map.of(Step.MQTT, StepResult.fail(Step.MQTT, "0x86", "password", "x"))));

        assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.PASS, Verdict.PASS, Verdict.FAIL, Verdict.SKIP), verdicts());
    }

    @Test
    void anUnexpectedExceptionIsAFailureWithTheExactError() {
        Map<Step, Checkup.Check> checks = allPassingExcept(Map.of());
        checks.put(Step.TLS, () -> {
            throw new IllegalStateException("boom", new java.io.IOException("root cause"));
        });

        run(checks);

        StepResult tls = report.firstFailure().orElseThrow();
        assertEquals(Step.TLS, tls.step());
        assertEquals("java.lang.IllegalStateException: boom <- caused by: java.io.IOException: root cause",
                tls.error().orElseThrow());
        assertEquals(Verdict.SKIP, report.verdictOf(Step.ROUND_TRIP));
    }

    @Test
    void aRevisitIsPrintedRightAfterTheStepThatFoundIt() {
        Map<Step, Checkup.Check> checks = allPassingExcept(Map.of());
        checks.put(Step.TLS, () -> {
            revisits.add(StepResult.warn(Step.ADDRESS, "not in the certificate", "no CNAME"));
            return StepResult.fail(Step.TLS, "does not match", "use the console's domain", "x");
        });

        run(checks);

        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        int tls = lines.indexOf(lines.stream().filter(line -> line.startsWith("FAIL  tls")).findFirst().orElseThrow());
        assertTrue(lines.get(tls + 2).startsWith("WARN  address     not in the certificate"), String.join("\n", lines));
        assertEquals(Verdict.WARN, report.verdictOf(Step.ADDRESS));
    }
}
