package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
                Map.of("MQTT_HOST", LocalDeployment.HOST, "MQTT_USERNAME", "u", "MQTT_PASSWORD", "secret"), Optional.empty());

        assertEquals(8883, broker.tlsPort());
        assertEquals(8084, broker.wssPort());
        assertEquals("/mqtt", broker.wsPath());
        assertEquals(Optional.empty(), broker.caFile());
        assertFalse(broker.description().contains("secret"));
    }

    /** The name is resolved once; the examples reach it, and the fault cases' names, through that address. */
    @Test
    void theDeploymentIsResolvedOnceAndItsAddressHandedToTheExamples() throws Exception {
        ExternalBroker broker = ExternalBroker.fromEnvironment(
                Map.of("MQTT_HOST", LocalDeployment.HOST, "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p"), Optional.empty());

        assertEquals("127.0.0.1", broker.ipAddress()); // test-hosts, in this JVM
        String hosts = Files.readString(broker.hostsFile().orElseThrow());
        assertTrue(hosts.contains("127.0.0.1 " + LocalDeployment.HOST + "\n"), hosts);
        assertTrue(hosts.contains("127.0.0.1 " + HostsFile.OTHER_HOST + "\n"), hosts);
        assertTrue(hosts.contains("127.0.0.1 " + broker.nameWithoutSni() + "\n"), hosts);
        assertFalse(broker.nameWithoutSni().contains("."), "the JDK sends no SNI only for a name without a dot");
    }

    @Test
    void anUnresolvableHostIsOneClearError() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> ExternalBroker.fromEnvironment(
                Map.of("MQTT_HOST", "nowhere.emqxsl.test", "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p"), Optional.empty()));

        assertTrue(error.getMessage().contains("MQTT_HOST=nowhere.emqxsl.test could not be resolved"), error.getMessage());
    }

    @Test
    void onlyFaultsThatNeedNoControlOfTheBrokerRunAgainstIt() {
        ExternalBroker broker = ExternalBroker.fromEnvironment(
                Map.of("MQTT_HOST", LocalDeployment.HOST, "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p"), Optional.empty());

        assertEquals(List.of(Fault.ANONYMOUS), Arrays.stream(Fault.values())
                .filter(fault -> fault.needs().isMetBy(broker)).toList());
    }
}
