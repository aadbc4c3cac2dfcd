package serverless.examples.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExampleSettingsTest {

    private static Map<String, String> required(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "MQTT_HOST", "abc.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void thePublishRateIsTenByDefaultWhatServerlessAllowsOneClient() {
        assertEquals(10, ExampleSettings.from(required(), "hivemq").publishRate());
        assertEquals(10, ExampleSettings.from(required("MQTT_PUBLISH_RATE", " "), "hivemq").publishRate());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "10, 10", "250, 250", "' 5 ', 5"})
    void aWholeNumberFromZeroUpIsAPublishRate(String value, int rate) {
        assertEquals(rate, ExampleSettings.from(required("MQTT_PUBLISH_RATE", value), "hivemq").publishRate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "ten", "2.5", "10/s", "99999999999"})
    void anythingElseIsASettingsErrorNamingMqttPublishRate(String value) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> ExampleSettings.from(required("MQTT_PUBLISH_RATE", value), "hivemq"));

        assertTrue(error.getMessage().startsWith("MQTT_PUBLISH_RATE=" + value + " is not a whole number"), error.getMessage());
        assertEquals(error.getMessage(), Failures.describe(error, null), "printed as it is, after ERROR:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hivemq", "hivemq-v3"})
    void theDefaultClientIdIsShortEnoughForEveryBroker(String prefix) {
        String clientId = ExampleSettings.from(required(), prefix).clientId();

        assertTrue(clientId.matches(prefix + "-[0-9a-f]{8}"), clientId);
        assertTrue(clientId.length() <= 23, clientId);
    }

    @Test
    void aClientIdGivenIsKeptAsItIs() {
        String clientId = "c".repeat(1100);
        assertEquals(clientId, ExampleSettings.from(required("MQTT_CLIENT_ID", clientId), "hivemq").clientId());
    }
}
