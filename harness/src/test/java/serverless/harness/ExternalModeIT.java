package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import serverless.harness.Broker.Capability;

/**
 * {@code -Dbroker=external} proven without anybody's deployment: a broker on this machine is described by
 * MQTT_* variables, exactly as a user describes theirs, and goes through the same external-mode code.
 *
 * The broker is the run's local one reached directly, without its SNI front: a plain TLS broker with
 * password authentication that accepts any SNI or none and never answers a wrong WebSocket path, as many
 * self-hosted brokers do. The probe must find exactly that; then every example's round trip, every fault
 * case external mode runs, and the doctor's diagnoses pass, and the refusals it does not make are skipped with that
 * reason, never failed and never passed. (Against a broker that refuses what Serverless refuses, external
 * mode runs those cases too: the suite's main run probes its broker through the same code.)
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class ExternalModeIT {

    @TestFactory
    Stream<DynamicTest> aBrokerThatEnforcesLessPassesWithTheRestSkipped(TestBed bed) {
        Broker lenient = ProbedBroker.probe(describedByVariables(bed.localBroker().direct(), bed));
        assertEquals(List.of(Capability.REFUSES_IP_ADDRESS, Capability.REFUSES_PUBLISHES_OVER_RATE,
                        Capability.REFUSES_LONG_CLIENT_ID), Arrays.stream(Capability.values())
                .filter(capability -> capability.name().startsWith("REFUSES_")).filter(lenient::can).toList(),
                "the direct listeners accept a handshake without SNI or with another name, and do not answer a"
                        + " wrong WebSocket path; the certificate still does not name 127.0.0.1, and the quotas are"
                        + " HiveMQ's own (its extension enforces them on every listener)");

        List<DynamicTest> tests = new ArrayList<>();
        for (Example example : Example.values()) {
            tests.add(DynamicTest.dynamicTest(example + ": round trip", () -> {
                ExampleRun run = ExampleRun.of(example, lenient, "lenient-" + example.name().toLowerCase());
                RoundTripAssertions.assertCompleteRoundTrip(run.execute(), run, lenient, 1);
            }));
            // The faults that hinge on what the broker refuses. Those that need no broker (a missing variable)
            // end the same against any, and those that need control of it are never run against an external
            // one: FaultIT has both.
            Arrays.stream(Fault.values()).filter(fault -> fault.appliesTo(example) && dependsOnRefusals(fault.needs()))
                    .forEach(fault ->
                    tests.add(DynamicTest.dynamicTest(example + ": " + fault,
                            () -> FaultCase.check(example, fault, lenient, bed, "lenient-"))));
        }
        tests.add(DynamicTest.dynamicTest("doctor: healthy, with a warning at the SNI step",
                () -> DoctorIT.checkHealthyRun(lenient, "lenient-doctor")));
        for (DoctorIT.Diagnosis diagnosis : DoctorIT.Diagnosis.values()) {
            if (diagnosis.needs().filter(capability -> capability == Capability.LOCAL).isPresent()) {
                continue; // needs control of the broker: never run against an external one; DoctorIT has it
            }
            tests.add(DynamicTest.dynamicTest("doctor: " + diagnosis,
                    () -> DoctorIT.checkDiagnosis(diagnosis, lenient, bed, "lenient-doctor-")));
        }
        return tests.stream();
    }

    private static boolean dependsOnRefusals(Optional<Capability> needs) {
        return needs.filter(capability -> capability.name().startsWith("REFUSES_")).isPresent();
    }

    /** The broker as a user's MQTT_* variables describe it, through external mode's own code. */
    private static Broker describedByVariables(Endpoint local, TestBed bed) {
        Map<String, String> userEnvironment = new HashMap<>();
        userEnvironment.put("MQTT_HOST", local.host());
        userEnvironment.put("MQTT_PORT", String.valueOf(local.tlsPort()));
        userEnvironment.put("MQTT_WS_PORT", String.valueOf(local.wssPort()));
        userEnvironment.put("MQTT_WS_PATH", local.wsPath());
        userEnvironment.put("MQTT_USERNAME", local.username());
        userEnvironment.put("MQTT_PASSWORD", local.password());
        local.caFile().ifPresent(ca -> userEnvironment.put("MQTT_CA_FILE", ca.toString()));
        return ExternalBroker.fromEnvironment(userEnvironment, Optional.of(bed.hostsFile()));
    }
}
