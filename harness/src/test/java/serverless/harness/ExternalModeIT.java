package serverless.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code -Dbroker=external} proven without anybody's deployment: the run's local broker is described by
 * MQTT_* variables, exactly as a user describes theirs, and every example's round trip goes through the
 * external broker built from them.
 */
@ExtendWith(TestBedExtension.class)
@Timeout(60)
class ExternalModeIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Example.class)
    void everyExampleRoundTripsThroughExternalMode(Example example, TestBed bed) {
        Broker local = bed.broker();
        assumeTrue(local.can(Broker.Capability.LOCAL), "needs a local broker to stand in for a deployment");
        Map<String, String> userEnvironment = new HashMap<>();
        userEnvironment.put("MQTT_HOST", local.host());
        userEnvironment.put("MQTT_PORT", String.valueOf(local.tlsPort()));
        userEnvironment.put("MQTT_WS_PORT", String.valueOf(local.wssPort()));
        userEnvironment.put("MQTT_WS_PATH", local.wsPath());
        userEnvironment.put("MQTT_USERNAME", local.username());
        userEnvironment.put("MQTT_PASSWORD", local.password());
        local.caFile().ifPresent(ca -> userEnvironment.put("MQTT_CA_FILE", ca.toString()));
        Broker external = ExternalBroker.fromEnvironment(userEnvironment, local.hostsFile());

        ExampleRun run = ExampleRun.of(example, external, "external-" + example.name().toLowerCase());

        RunResult result = run.execute();

        RoundTripAssertions.assertCompleteRoundTrip(result, run, external, 1);
    }
}
