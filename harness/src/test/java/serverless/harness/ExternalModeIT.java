package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import serverless.harness.Broker.Refusal;
import serverless.harness.Broker.Trait;

/**
 * {@code -Dbroker=external} proven without anybody's deployment: a broker on this machine is described by
 * MQTT_* variables, exactly as a user describes theirs, and goes through the same external-mode code.
 *
 * The broker is the run's local one reached directly, without its SNI front: a plain TLS broker with
 * password authentication that accepts any SNI or none and never answers a wrong WebSocket path, as many
 * self-hosted brokers do. The probe must find exactly that; then every example's round trip, every fault
 * case external mode runs, and the doctor's diagnoses pass, and the refusals it does not make are skipped with that
 * reason, never failed and never passed. (Against a broker that refuses what Serverless refuses, external
 * mode runs those cases too: the suite's main run probes its broker through the same code.) {@link MosquittoIT}
 * does the same with a real self-hosted broker, through the same code.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class ExternalModeIT {

    @TestFactory
    Stream<DynamicTest> aBrokerThatEnforcesLessPassesWithTheRestSkipped(TestBed bed) {
        Broker lenient = ProbedBroker.probe(describedByVariables(bed.localDeployment().directEndpoint(), bed));
        assertEquals(List.of(Refusal.IP_ADDRESS, Refusal.PUBLISHES_OVER_RATE, Refusal.LONG_CLIENT_ID,
                        Refusal.DEEP_TOPIC_FILTER), refusals(lenient),
                "the direct listeners accept a handshake without SNI or with another name, and do not answer a"
                        + " wrong WebSocket path; the certificate still does not name 127.0.0.1, and the quotas are"
                        + " HiveMQ's own (its extension enforces them on every listener)");
        return casesAgainst(lenient, bed, "lenient-", Optional.empty());
    }

    /** The refusals the probe found {@code probed} to make, in the order {@link Refusal} lists them. */
    static List<Refusal> refusals(Broker probed) {
        return Arrays.stream(Refusal.values()).filter(probed::refuses).toList();
    }

    /**
     * What external mode runs against a broker that is not the suite's to break: every example's round trip, the
     * fault cases that hinge on what the broker refuses, and the doctor's healthy run and diagnoses, each skipped
     * with the probe's finding where the broker does not make the refusal. {@code noWebSocket}, where the broker has
     * no WebSocket listener, is why the WebSocket examples and the doctor (which checks both transports) are skipped.
     */
    static Stream<DynamicTest> casesAgainst(Broker probed, TestBed bed, String namePrefix, Optional<String> noWebSocket) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Example example : Example.values()) {
            Runnable webSocketListener = () -> noWebSocket.filter(reason -> example.transport() == Transport.WSS)
                    .ifPresent(Assumptions::abort);
            tests.add(DynamicTest.dynamicTest(example + ": round trip", () -> {
                webSocketListener.run();
                ExampleRun run = ExampleRun.of(example, probed, namePrefix + example.name().toLowerCase());
                RoundTripAssertions.assertCompleteRoundTrip(run.execute(), run, probed, 1);
            }));
            // The faults that hinge on what the broker refuses. Those that need no broker (a missing variable)
            // end the same against any, and those that need control of it are never run against an external
            // one: FaultIT has both.
            Arrays.stream(Fault.values()).filter(fault -> fault.appliesTo(example) && fault.needs() instanceof Refusal)
                    .forEach(fault ->
                    tests.add(DynamicTest.dynamicTest(example + ": " + fault, () -> {
                        webSocketListener.run();
                        FaultCase.check(example, fault, probed, bed, namePrefix);
                    })));
        }
        Runnable doctorsWebSocket = () -> noWebSocket.ifPresent(reason ->
                Assumptions.abort("the doctor checks both transports: " + reason));
        tests.add(DynamicTest.dynamicTest("doctor: healthy" + (probed.refuses(Refusal.MISSING_SNI) ? ""
                : ", with a warning at the SNI step"), () -> {
                    doctorsWebSocket.run();
                    DoctorIT.checkHealthyRun(probed, namePrefix + "doctor");
                }));
        for (DoctorIT.Diagnosis diagnosis : DoctorIT.Diagnosis.values()) {
            if (diagnosis.needs() == Trait.STARTED_BY_THE_SUITE) {
                continue; // needs control of the broker: never run against an external one; DoctorIT has it
            }
            tests.add(DynamicTest.dynamicTest("doctor: " + diagnosis, () -> {
                doctorsWebSocket.run();
                DoctorIT.checkDiagnosis(diagnosis, probed, bed, namePrefix + "doctor-");
            }));
        }
        return tests.stream();
    }

    /**
     * The broker at {@code endpoint} as a user's MQTT_* variables describe it, through external mode's own code; its
     * name resolves through the run's hosts file (to 127.0.0.1), for the examples.
     */
    static Broker describedByVariables(Endpoint endpoint, TestBed bed) {
        return ExternalBroker.fromEnvironment(endpoint.variables(), Optional.of(bed.hostsFile()));
    }
}
