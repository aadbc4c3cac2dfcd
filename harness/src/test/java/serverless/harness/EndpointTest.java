package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A deployment as the MQTT_* variables describe it: the one mapping the quick start, the suites and the doctor use. */
class EndpointTest {

    private static final Path CA = Path.of("/tmp/ca.pem");
    private final Endpoint endpoint = new Endpoint("deployment.emqxsl.test", 1111, 2222, "/mqtt", Optional.of(CA),
            "u", "p", Optional.empty());

    /** What the doctor takes, and what a user exports, in the order README gives them. */
    @Test
    void theDeploymentIsEveryVariableInTheOrderToExportThem() {
        Map<String, String> variables = endpoint.variables();

        assertEquals(List.of("MQTT_HOST", "MQTT_PORT", "MQTT_WS_PORT", "MQTT_WS_PATH", "MQTT_USERNAME", "MQTT_PASSWORD",
                "MQTT_CA_FILE"), List.copyOf(variables.keySet()));
        assertEquals(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "1111", "MQTT_WS_PORT", "2222",
                "MQTT_WS_PATH", "/mqtt", "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p", "MQTT_CA_FILE", CA.toString()), variables);
    }

    /** As README tells users: the same exports for every program, MQTT_PORT=$MQTT_WS_PORT for WebSocket. */
    @Test
    void eachExampleGetsThePortOfItsOwnTransport() {
        assertEquals(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "1111", "MQTT_USERNAME", "u",
                "MQTT_PASSWORD", "p", "MQTT_CA_FILE", CA.toString()), endpoint.variablesFor(Transport.TLS));
        assertEquals(Map.of("MQTT_HOST", "deployment.emqxsl.test", "MQTT_PORT", "2222", "MQTT_WS_PATH", "/mqtt",
                "MQTT_USERNAME", "u", "MQTT_PASSWORD", "p", "MQTT_CA_FILE", CA.toString()), endpoint.variablesFor(Transport.WSS));
    }

    /** A deployment with a public CA: the JDK's trust store, so no MQTT_CA_FILE at all (not an empty one). */
    @Test
    void withoutACaFileThereIsNoCaVariable() {
        Endpoint publicCa = new Endpoint("h.example", 8883, 8084, "/mqtt", Optional.empty(), "u", "p", Optional.empty());

        assertFalse(publicCa.variables().containsKey("MQTT_CA_FILE"));
        assertFalse(publicCa.variablesFor(Transport.WSS).containsKey("MQTT_CA_FILE"));
    }

    @Test
    void itsTextNeverHoldsThePassword() {
        assertFalse(new Endpoint("h.example", 8883, 8084, "/mqtt", Optional.empty(), "u", "s3cret-pw", Optional.empty())
                .toString().contains("s3cret-pw"));
    }
}
