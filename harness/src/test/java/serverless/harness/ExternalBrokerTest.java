package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExternalBrokerTest {

    @Test
    void missingVariablesAreNamed() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ExternalBroker.fromEnvironment(Map.of("MQTT_HOST", "x.emqxsl.com", "MQTT_PASSWORD", " "), Optional.empty()));

        assertTrue(error.getMessage().contains("MQTT_USERNAME, MQTT_PASSWORD"), error.getMessage());
        assertFalse(error.getMessage().contains("MQTT_HOST,"), error.getMessage());
    }

    @Test
    void defaultsAreServerlessPortsAndPathAndTheJdkTrustStore() {
        ExternalBroker broker = ExternalBroker.fromEnvironment(
                Map.of("MQTT_HOST", "x.emqxsl.com", "MQTT_USERNAME", "u", "MQTT_PASSWORD", "secret"), Optional.empty());

        assertEquals(8883, broker.tlsPort());
        assertEquals(8084, broker.wssPort());
        assertEquals("/mqtt", broker.wsPath());
        assertEquals(Optional.empty(), broker.caFile());
        assertEquals(Optional.empty(), broker.hostsFile());
        assertFalse(broker.description().contains("secret"));
    }

    @Test
    void onlyFaultsThatNeedNoControlOfTheBrokerRunAgainstIt() {
        ExternalBroker broker = ExternalBroker.fromEnvironment(
                Map.of("MQTT_HOST", "x.emqxsl.com", "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p"), Optional.empty());

        assertEquals(List.of(Fault.ANONYMOUS), Arrays.stream(Fault.values())
                .filter(fault -> fault.needs().map(broker::can).orElse(true)).toList());
    }
}
