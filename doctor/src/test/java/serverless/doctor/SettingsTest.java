package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void onlyTheHostIsRequiredAndTheRestHasServerlessDefaults() {
        Settings settings = Settings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com"), true);

        assertEquals(8883, settings.tlsPort());
        assertEquals(8084, settings.wsPort());
        assertEquals("/mqtt", settings.wsPath());
        assertEquals(Optional.empty(), settings.username());
        assertEquals(Optional.empty(), settings.caFile());
        assertTrue(settings.topic().startsWith("serverless-doctor/"));
        assertEquals("wss://abc.ala.us-east-1.emqxsl.com:8084/mqtt", settings.wssUri());
    }

    @Test
    void anEmptyValueCountsAsNotSet() {
        SettingsException missing = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "  "), true));
        assertTrue(missing.getMessage().startsWith("MQTT_HOST is not set"));
        assertEquals(Optional.empty(), Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_USERNAME", ""), true).username());
    }

    @Test
    void aMalformedPortNamesItsVariable() {
        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_WS_PORT", "80840"), true));
        assertTrue(error.getMessage().startsWith("MQTT_WS_PORT=80840 is not a port number"));
    }

    @Test
    void theWebSocketPathStartsWithASlash() {
        assertThrows(SettingsException.class, () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_WS_PATH", "mqtt"), true));
    }

    @Test
    void ipAddressesAreRecognised() {
        assertTrue(Settings.from(Map.of("MQTT_HOST", "203.0.113.7"), true).hostIsIpAddress());
        assertTrue(Settings.from(Map.of("MQTT_HOST", "::1"), true).hostIsIpAddress());
        assertFalse(Settings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com"), true).hostIsIpAddress());
        assertFalse(Settings.from(Map.of("MQTT_HOST", "1.2.3.4.nip.io"), true).hostIsIpAddress());
    }

    @Test
    void toStringNeverShowsThePassword() {
        Settings settings = Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_USERNAME", "u",
                "MQTT_PASSWORD", "s3cret-Pa55"), true);

        assertFalse(settings.toString().contains("s3cret-Pa55"), settings.toString());
        assertTrue(settings.toString().contains("password=<redacted>"));
    }
}
