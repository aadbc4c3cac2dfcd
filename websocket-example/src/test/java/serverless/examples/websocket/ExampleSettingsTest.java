package serverless.examples.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExampleSettingsTest {

    private static Map<String, String> required(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "[2001:db8::1]", "::1", "fe80::1%eth0", "::ffff:192.0.2.1"})
    void anIpv6AddressIsRefusedBeforeConnecting(String value) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> ExampleSettings.from(required("MQTT_HOST", value), "paho-ws"));
        assertTrue(error.getMessage().startsWith("MQTT_HOST is an IPv6 address: Serverless is reached by the"
                + " deployment's domain name"), error.getMessage());
    }

    @Test
    void aDomainNameWithHexLettersIsKept() {
        assertEquals("cafe.emqxsl.com", ExampleSettings.from(required("MQTT_HOST", "cafe.emqxsl.com"), "paho-ws").host());
    }

    @Test
    void thePublishRateIsTenPerSecondWhenNotSet() {
        assertEquals(10, ExampleSettings.from(required(), "paho-ws").publishRate());
        assertEquals(10, ExampleSettings.from(required("MQTT_PUBLISH_RATE", " "), "paho-ws").publishRate());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "10, 10", "250, 250", " 5 , 5"})
    void aWholeNumberIsThePublishRate(String value, int rate) {
        assertEquals(rate, ExampleSettings.from(required("MQTT_PUBLISH_RATE", value), "paho-ws").publishRate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+5", "1.5", "ten", "10/s", "0x10", "99999999999"})
    void anythingElseIsASettingsErrorNamingTheVariable(String value) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> ExampleSettings.from(required("MQTT_PUBLISH_RATE", value), "paho-ws"));
        assertTrue(error.getMessage().startsWith("MQTT_PUBLISH_RATE=" + value + " is not a whole number"),
                error.getMessage());
    }

    @Test
    void theRateIsCheckedWithTheOtherSettingsBeforeAnythingConnects() {
        // fromEnvironment() is the first thing main() does; a bad rate never reaches run(), which connects.
        SettingsException error = assertThrows(SettingsException.class,
                () -> ExampleSettings.from(required("MQTT_MESSAGES", "5000", "MQTT_PUBLISH_RATE", "fast"), "paho-ws"));
        assertTrue(error.getMessage().contains("MQTT_PUBLISH_RATE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paho-ws", "hivemq-ws"})
    void theDefaultClientIdIsThePrefixAnd8HexDigitsAtMost23Characters(String prefix) {
        String clientId = ExampleSettings.from(required(), prefix).clientId();
        assertTrue(clientId.matches(prefix + "-[0-9a-f]{8}"), clientId);
        assertTrue(clientId.length() <= 23, clientId);
    }

    @Test
    void theSettingsNeverShowThePassword() {
        assertFalse(ExampleSettings.from(required(), "paho-ws").toString().contains("secret"));
    }
}
