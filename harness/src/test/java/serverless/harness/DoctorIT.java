package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import serverless.harness.Broker.Refusal;
import serverless.harness.Broker.Trait;
import serverless.harness.broker.FaultServer;
import serverless.harness.broker.Quota;

/**
 * The connection doctor ({@code doctor/target/doctor.jar}), run as a user runs it: against the healthy broker
 * every step passes; with each fault a Serverless user meets, the right step fails (or warns) with the right
 * words, the steps after it are skipped, and the support-ticket block names it. Never the password, never
 * library noise on standard error, never longer than the doctor's own bound. The healthy run is part of the
 * everyday tier; the diagnoses are the complete tier's.
 */
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(90)
class DoctorIT {

    /** The doctor's promise: every network wait is bounded, a whole run ends within about 30 seconds. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final List<String> STEPS = List.of("address", "ports", "tls", "sni", "mqtt", "round-trip");
    private static final Pattern STEP_LINE = Pattern.compile("^(PASS|WARN|FAIL|SKIP)  (\\S+) +(.*)$");
    /** The doctor's own client id for its WebSocket connection, as its support ticket names it. */
    private static final Pattern DOCTORS_WEBSOCKET_ID = Pattern.compile("\\b(doctor-[0-9a-f]{8}-wss) over WebSocket\\b");

    /** A fault, the verdict of every step it must lead to, and the words the diagnosing line must contain. */
    enum Diagnosis {
        CLOSED_PORT(Trait.STARTED_BY_THE_SUITE, Fault.CLOSED_PORT::injectInto,
                "PASS FAIL SKIP SKIP SKIP SKIP", "ports", "connection refused"),
        PLAINTEXT_PORT_NUMBER(Requirement.ANY_BROKER, (run, bed) -> run.set("MQTT_PORT", "1883"),
                "PASS FAIL SKIP SKIP SKIP SKIP", "ports", "1883 is plaintext MQTT, which Serverless does not offer"),
        PLAINTEXT_INSTEAD_OF_TLS(Trait.STARTED_BY_THE_SUITE, Fault.PLAINTEXT_PORT::injectInto,
                "PASS PASS FAIL SKIP SKIP SKIP", "tls", "closed the TLS handshake", "not a TLS port"),
        UNTRUSTED_CA(Trait.STARTED_BY_THE_SUITE, Fault.UNTRUSTED_CA::injectInto,
                "PASS PASS FAIL SKIP SKIP SKIP", "tls", "not trusted by MQTT_CA_FILE"),
        CERTIFICATE_FOR_OTHER_HOST(Trait.STARTED_BY_THE_SUITE, Fault.CERTIFICATE_FOR_OTHER_HOST::injectInto,
                "WARN PASS FAIL SKIP SKIP SKIP", "tls", "does not match " + LocalDeployment.HOST),
        EXPIRED_CERTIFICATE(Trait.STARTED_BY_THE_SUITE, Fault.EXPIRED_CERTIFICATE::injectInto,
                "PASS PASS FAIL SKIP SKIP SKIP", "tls", "expired"),
        IP_ADDRESS(Refusal.MISSING_SNI, Fault.IP_ADDRESS::injectInto,
                "WARN PASS FAIL SKIP SKIP SKIP", "tls", "without SNI", "IP address"),
        NO_SNI(Refusal.MISSING_SNI, Fault.NO_SNI::injectInto,
                "PASS PASS FAIL SKIP SKIP SKIP", "tls", "refused SNI"),
        WRONG_SNI(Refusal.WRONG_SNI, Fault.WRONG_SNI::injectInto,
                "PASS PASS FAIL SKIP SKIP SKIP", "tls", "with SNI " + HostsFile.OTHER_HOST, "refused SNI"),
        WRONG_PASSWORD(Trait.STARTED_BY_THE_SUITE, Fault.WRONG_PASSWORD::injectInto,
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "CONNACK 0x86 bad user name or password"),
        UNKNOWN_USER(Trait.STARTED_BY_THE_SUITE, Fault.UNKNOWN_USER::injectInto,
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "CONNACK 0x87 not authorized"),
        NO_CREDENTIALS(Requirement.ANY_BROKER, Fault.ANONYMOUS::injectInto,
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "anonymous CONNECT", "CONNACK 0x8"),
        /** Both ports complete TLS as the deployment (and the upgrade on /mqtt) and answer no CONNECT. */
        UNANSWERED_CONNECT(Trait.STARTED_BY_THE_SUITE, Fault.UNANSWERED_CONNECT::injectInto,
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "accepted TLS but never answered the MQTT CONNECT"),
        WRONG_WEBSOCKET_PATH(Refusal.WRONG_WEBSOCKET_PATH, Fault.WRONG_WEBSOCKET_PATH::injectInto,
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "WebSocket path " + BrokerProbe.WRONG_WEBSOCKET_PATH, "HTTP 404"),
        /** One over Serverless' limit: the doctor diagnoses it without sending it, so any broker will do. */
        CLIENT_ID_TOO_LONG(Requirement.ANY_BROKER,
                (run, bed) -> run.set("MQTT_CLIENT_ID", clientIdOf(run, Quota.CLIENT_ID_LENGTH.limit() + 1)),
                "PASS PASS PASS PASS FAIL SKIP", "mqtt", "MQTT_CLIENT_ID is " + (Quota.CLIENT_ID_LENGTH.limit() + 1)
                        + " characters long", "over the " + Quota.CLIENT_ID_LENGTH.limit());

        private final Requirement needs;
        private final BiConsumer<ExampleRun, TestBed> injection;
        private final List<String> verdicts;
        private final String failingStep;
        private final List<String> phrases;

        Diagnosis(Requirement needs, BiConsumer<ExampleRun, TestBed> injection, String verdicts,
                String failingStep, String... phrases) {
            this.needs = needs;
            this.injection = injection;
            this.verdicts = List.of(verdicts.split(" "));
            this.failingStep = failingStep;
            this.phrases = List.of(phrases);
        }

        /** What the broker must have or refuse for this fault to be injected. */
        Requirement needs() {
            return needs;
        }
    }

    @Test
    void healthyBrokerPassesEveryStep(Broker broker) {
        checkHealthyRun(broker, "doctor-healthy");
    }

    /**
     * The doctor against a healthy broker: every step passes, but for the SNI step against a broker that
     * accepts a handshake without SNI (EMQX itself, a self-hosted broker), where the doctor rightly warns.
     */
    static void checkHealthyRun(Broker broker, String runName) {
        RunResult result = ExampleRun.ofDoctor(broker, runName).execute();
        String sniVerdict = broker.refuses(Refusal.MISSING_SNI) ? "PASS" : "WARN";

        Report report = new Report(result);
        assertAll(result.transcript(),
                () -> assertEquals(0, result.exitCode(), "exit code"),
                () -> assertEquals(STEPS, report.stepsInOrder(), "one line per step, in order"),
                () -> assertEquals(List.of("PASS", "PASS", "PASS", sniVerdict, "PASS", "PASS"), report.verdicts(),
                        "the ticket's Steps line"),
                () -> assertTrue(!broker.refuses(Refusal.MISSING_SNI)
                        || report.line("sni").contains("refused a handshake without SNI"), "the SNI step saw the refusal"),
                () -> assertTrue(report.line("round-trip").contains("received over ssl://")
                        && report.line("round-trip").contains("and over wss://"), "the message came back over both transports"),
                () -> assertFalse(result.stdout().contains("What to do:"), "nothing to do"),
                () -> assertTrue(result.stdout().contains("Result: PASS"), "the outcome line"),
                () -> assertCommonPromises(result, broker));

        if (broker.has(Trait.CONNECTION_LOG)) {
            await("the broker's record of the doctor's connections").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (Transport transport : Transport.values()) {
                    assertTrue(broker.connections().stream().anyMatch(connection ->
                                    connection.clientId().startsWith("doctor-") && connection.accepted()
                                            && connection.transport() == transport
                                            && connection.username().equals(broker.username())
                                            && connection.sniHostname().equals(broker.host())),
                            () -> "no accepted doctor connection over " + transport + " as " + broker.username()
                                    + " with SNI " + broker.host() + " in " + broker.connections());
                }
            });
        }
    }

    @CompleteTier
    @ParameterizedTest(name = "{0}")
    @EnumSource(Diagnosis.class)
    void faultIsDiagnosedAtTheRightStep(Diagnosis fault, TestBed bed) {
        checkDiagnosis(fault, bed.broker(), bed, "doctor-");
    }

    /**
     * The doctor, given {@code fault} against {@code broker}, fails at the right step with the right words.
     * Where the broker accepts a handshake without SNI, the SNI step (if the doctor gets that far) warns.
     */
    static void checkDiagnosis(Diagnosis fault, Broker broker, TestBed bed, String namePrefix) {
        assumeTrue(fault.needs.isMetBy(broker), () -> fault + " is not injected: " + broker.lacks(fault.needs));
        ExampleRun run = ExampleRun.ofDoctor(broker, namePrefix + fault.name().toLowerCase(Locale.ROOT));
        fault.injection.accept(run, bed);
        List<String> verdicts = new ArrayList<>(fault.verdicts);
        int sni = STEPS.indexOf("sni");
        if (!broker.refuses(Refusal.MISSING_SNI) && verdicts.get(sni).equals("PASS")) {
            verdicts.set(sni, "WARN");
        }

        RunResult result = run.execute();

        Report report = new Report(result);
        String failing = report.firstLine("FAIL");
        assertAll(result.transcript(),
                () -> assertEquals(1, result.exitCode(), "exit code"),
                () -> assertEquals(STEPS, report.stepsInOrder(), "one line per step, in order"),
                () -> assertEquals(verdicts, report.verdicts(), "the ticket's Steps line"),
                () -> assertTrue(failing.startsWith("FAIL  " + fault.failingStep + " "), "the first failure is " + fault.failingStep),
                () -> fault.phrases.forEach(phrase -> assertTrue(failing.toLowerCase(Locale.ROOT)
                        .contains(phrase.toLowerCase(Locale.ROOT)), "the failing line says: " + phrase)),
                () -> assertEquals(1, report.count("What to do: "), "one 'What to do' line, for the first failure"),
                () -> assertTrue(result.stdout().lines().anyMatch(line ->
                                line.matches("Result: +FAIL at step " + Pattern.quote(fault.failingStep) + ": .+")),
                        "the ticket names the failing step"),
                () -> assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("Error:  ")),
                        "the ticket gives the exact error"),
                () -> assertCommonPromises(result, broker));
        if (fault == Diagnosis.CERTIFICATE_FOR_OTHER_HOST) {
            assertTrue(report.lines("address").stream().anyMatch(line -> line.startsWith("WARN")
                    && line.contains("not a name in the server's certificate")), result::transcript);
        }
        if (fault == Diagnosis.WRONG_WEBSOCKET_PATH) {
            // The 404 comes at once: the mqtt step, which meets it, explains it within 3 s (its own timing).
            Matcher stepTime = Pattern.compile("\\((\\d+) ms\\)$").matcher(report.line("mqtt"));
            assertTrue(stepTime.find() && Long.parseLong(stepTime.group(1)) < 3_000,
                    () -> "the mqtt step took 3 s or more: " + result.transcript());
        }
        if (fault == Diagnosis.IP_ADDRESS) {
            assertTrue(report.line("address").startsWith("WARN") && report.line("address").contains("IP address"),
                    result::transcript);
        }
        if (fault == Diagnosis.UNANSWERED_CONNECT) {
            // Not the network, which the steps before passed: what to do names what such a server usually is.
            assertTrue(result.stdout().lines().anyMatch(line -> line.trim().startsWith("What to do: Usually the"
                    + " deployment is starting or overloaded")), result::transcript);
        }
        if (fault == Diagnosis.CLIENT_ID_TOO_LONG) {
            checkOverLongClientIdWasNotSent(run.environment().get("MQTT_CLIENT_ID"), result, broker);
        }
    }

    /**
     * The doctor diagnosed the over-long MQTT_CLIENT_ID before connecting: the broker never saw it, while the
     * WebSocket connection, with the doctor's own id, still went through and showed the credentials work.
     */
    private static void checkOverLongClientIdWasNotSent(String clientId, RunResult result, Broker broker) {
        String doctorsOwn = doctorsWebSocketId(result);
        assertTrue(result.stdoutLines().stream().anyMatch(line -> line.trim().startsWith("wss://")
                && line.contains(" as " + doctorsOwn + ": CONNACK 0x00 success")), result::transcript);
        if (broker.has(Trait.CONNECTION_LOG)) {
            // The doctor connects one after the other, each waiting for its CONNACK: once the WebSocket connection is
            // recorded, a CONNECT over TLS before it would have been recorded too.
            await("the broker's record of the doctor's WebSocket connection").atMost(Duration.ofSeconds(5))
                    .until(() -> broker.connections().stream().anyMatch(connection ->
                            connection.clientId().equals(doctorsOwn) && connection.accepted()));
            assertTrue(broker.connections().stream().noneMatch(connection -> connection.clientId().equals(clientId))
                            && broker.quotaRefusals().stream().noneMatch(refusal -> refusal.clientId().equals(clientId)),
                    "the broker saw the over-long client id: the doctor sent it");
        }
    }

    /**
     * MQTT_CLIENT_ID, set as a user debugging their own client's id sets it, is the id the broker records for the
     * doctor's connection over TLS; its WebSocket connection keeps an id of the doctor's own, since two connections
     * with one id would take each other's session over. At 23 characters, what every broker must accept, every step
     * passes; at 1024, Serverless' limit, the broker accepts it too (the doctor's limit is the broker's), and the
     * doctor warns that only 23 is safe everywhere.
     */
    @CompleteTier
    @ParameterizedTest(name = "{0} characters: mqtt {1}")
    @CsvSource(delimiter = '|', value = {
            "23   | PASS | CONNACK 0x00 success as ",
            "1024 | WARN | MQTT_CLIENT_ID is 1024 characters long, over the 23 every broker must accept"})
    void theClientIdTheUserSetIsTheOneTheBrokerRecords(int length, String mqttVerdict, String mqttPhrase, Broker broker) {
        assumeTrue(broker.has(Trait.CONNECTION_LOG), () -> broker.lacks(Trait.CONNECTION_LOG));
        ExampleRun run = ExampleRun.ofDoctor(broker, "doctor-id");
        String clientId = clientIdOf(run, length);

        RunResult result = run.set("MQTT_CLIENT_ID", clientId).execute();

        Report report = new Report(result);
        String sniVerdict = broker.refuses(Refusal.MISSING_SNI) ? "PASS" : "WARN";
        String shown = clientId.substring(0, Math.min(length, 64)); // the doctor shortens longer ids in its report
        assertAll(result.transcript(),
                () -> assertEquals(0, result.exitCode(), "exit code"),
                () -> assertEquals(List.of("PASS", "PASS", "PASS", sniVerdict, mqttVerdict, "PASS"), report.verdicts()),
                () -> assertTrue(report.line("mqtt").contains(mqttPhrase), "the mqtt step says: " + mqttPhrase),
                () -> assertEquals(mqttVerdict.equals("WARN") ? 1 : 0, report.count("Note: This deployment accepted it."),
                        "the note on the client id, only for a warning"),
                () -> assertTrue(result.stdoutLines().get(0).contains(", client id " + shown), "the settings line"),
                () -> assertTrue(result.stdoutLines().stream().anyMatch(line -> line.startsWith("Client ids:         " + shown)
                        && line.contains("(MQTT_CLIENT_ID, " + length + " characters) over TLS")), "the ticket"),
                () -> assertCommonPromises(result, broker));
        String doctorsOwn = doctorsWebSocketId(result);
        await("the broker's record of the doctor's connections").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertTrue(broker.connections().stream().anyMatch(connection -> connection.clientId().equals(clientId)
                            && connection.accepted() && connection.transport() == Transport.TLS
                            && connection.username().equals(broker.username())
                            && connection.sniHostname().equals(broker.host())),
                    () -> "no accepted connection over TLS as " + clientId + " in " + broker.connections());
            assertTrue(broker.connections().stream().anyMatch(connection -> connection.clientId().equals(doctorsOwn)
                            && connection.accepted() && connection.transport() == Transport.WSS),
                    () -> "no accepted connection over WSS as " + doctorsOwn + " in " + broker.connections());
        });
    }

    /** A client id of {@code length} characters, unique to {@code run}, so that no other run's record can match it. */
    private static String clientIdOf(ExampleRun run, int length) {
        String unique = run.clientId() + "-";
        return unique + "c".repeat(length - unique.length());
    }

    private static String doctorsWebSocketId(RunResult result) {
        Matcher matcher = DOCTORS_WEBSOCKET_ID.matcher(result.stdout());
        assertTrue(matcher.find(), () -> "no client id of the doctor's own over WebSocket in: " + result.transcript());
        return matcher.group(1);
    }

    /** A port that accepts TCP and then never says anything: the TLS step must give up within its bound. */
    @CompleteTier
    @Test
    void silentServerEndsWithinTheBound(Broker broker) throws IOException {
        assumeTrue(broker.has(Trait.STARTED_BY_THE_SUITE), "needs a broker the suite started, whose name leads to this machine");
        try (FaultServer silent = FaultServer.silent()) {
            RunResult result = ExampleRun.ofDoctor(broker, "doctor-silent")
                    .set("MQTT_PORT", String.valueOf(silent.port()))
                    .set("MQTT_WS_PORT", String.valueOf(silent.port()))
                    .execute();

            Report report = new Report(result);
            assertAll(result.transcript(),
                    () -> assertEquals(1, result.exitCode(), "exit code"),
                    () -> assertEquals(List.of("PASS", "PASS", "FAIL", "SKIP", "SKIP", "SKIP"), report.verdicts()),
                    () -> assertTrue(report.line("tls").contains("timed out"), "the TLS step says it timed out"),
                    () -> assertCommonPromises(result, broker));
        }
    }

    private static void assertCommonPromises(RunResult result, Broker broker) {
        assertAll(
                () -> assertFalse(result.timedOut(), "the doctor hung"),
                () -> assertTrue(result.duration().compareTo(BOUND) < 0, "took longer than " + BOUND),
                () -> assertEquals("", result.stderr(), "nothing on standard error: no library noise"),
                () -> assertFalse(result.stdout().contains(broker.password()), "the password must never be printed"),
                () -> assertTrue(result.stdout().contains("----- support ticket: copy from here")
                        && result.stdout().contains("----- end of support ticket -----"), "the support-ticket block"));
    }

    /** The doctor's report, read back: the step lines and the ticket's Steps line. */
    private record Report(RunResult result) {

        List<String> stepsInOrder() {
            return result.stdoutLines().stream().map(STEP_LINE::matcher).filter(Matcher::matches)
                    .map(matcher -> matcher.group(2)).distinct().toList();
        }

        /** The verdicts from the ticket's "Steps:" line, in step order. */
        List<String> verdicts() {
            String steps = result.stdoutLines().stream().filter(line -> line.startsWith("Steps:")).findFirst().orElse("");
            List<String> verdicts = new ArrayList<>();
            for (String step : STEPS) {
                Matcher matcher = Pattern.compile("\\b" + Pattern.quote(step) + " (PASS|WARN|FAIL|SKIP)\\b").matcher(steps);
                verdicts.add(matcher.find() ? matcher.group(1) : "missing");
            }
            return verdicts;
        }

        List<String> lines(String step) {
            return result.stdoutLines().stream()
                    .filter(line -> STEP_LINE.matcher(line).matches() && line.substring(6).startsWith(step + " "))
                    .toList();
        }

        /** The step's first line. */
        String line(String step) {
            return lines(step).stream().findFirst().orElse("");
        }

        String firstLine(String verdict) {
            return result.stdoutLines().stream().filter(line -> line.startsWith(verdict + "  ")).findFirst().orElse("");
        }

        long count(String text) {
            return result.stdoutLines().stream().filter(line -> line.contains(text)).count();
        }
    }
}
