package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mqtts://xxx.emqxsl.com:8883           | MQTT_HOST=xxx.emqxsl.com and MQTT_PORT=8883",
        "ssl://host.example                    | set MQTT_HOST=host.example",
        "wss://deployment.emqxsl.test:8084/mqtt | MQTT_HOST=deployment.emqxsl.test, MQTT_WS_PORT=8084 and MQTT_WS_PATH=/mqtt",
        "host.example:8883                     | MQTT_HOST=host.example and MQTT_PORT=8883",
        "host.example:8084                     | MQTT_HOST=host.example and MQTT_WS_PORT=8084",
        "host.example/mqtt                     | set MQTT_HOST=host.example",
        "'deployment .emqxsl.test'             | set MQTT_HOST=deployment.emqxsl.test",
        "[2001:db8::1]:8883                    | MQTT_HOST=2001:db8::1 and MQTT_PORT=8883",
    })
    void aPastedAddressSaysWhatToSetInstead(String host, String expected) {
        SettingsException error = assertThrows(SettingsException.class, () -> Settings.from(Map.of("MQTT_HOST", host), true));

        assertTrue(error.getMessage().startsWith("MQTT_HOST holds "), error.getMessage());
        assertTrue(error.getMessage().contains("takes the deployment's domain name alone (no scheme, port or path)"),
                error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void aPastedAddressNeverRepeatsItsUserNameOrPassword() {
        SettingsException error = assertThrows(SettingsException.class, () -> Settings.from(
                Map.of("MQTT_HOST", "mqtts://doc-user:p@ss:w/rd@xxx.emqxsl.com:8883"), true));

        assertTrue(error.getMessage().contains("MQTT_HOST=xxx.emqxsl.com and MQTT_PORT=8883"), error.getMessage());
        for (String secret : new String[] {"doc-user", "p@ss", "w/rd"}) {
            assertFalse(error.getMessage().contains(secret), error.getMessage());
        }
    }

    @Test
    void aDomainThatCannotBeTakenOutIsNotGuessed() {
        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "my deployment"), true));

        assertTrue(error.getMessage().contains("whitespace"), error.getMessage());
        assertFalse(error.getMessage().contains("MQTT_HOST=my"), error.getMessage());
    }

    @Test
    void aBareIpv6AddressIsNotTakenForHostAndPort() {
        assertTrue(Settings.from(Map.of("MQTT_HOST", "2001:db8::1"), true).hostIsIpAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sensors/+/temperature", "sensors/#"})
    void aTopicWithAWildcardIsASettingsError(String topic) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_TOPIC", topic), true));

        assertTrue(error.getMessage().startsWith("MQTT_TOPIC contains the wildcard "), error.getMessage());
    }

    @Test
    void aTopicLongerThanMqttAllowsIsASettingsErrorThatDoesNotRepeatIt() {
        String topic = "t".repeat(65_534) + "é"; // 65536 bytes in UTF-8

        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_TOPIC", topic), true));

        assertTrue(error.getMessage().startsWith("MQTT_TOPIC is 65536 bytes long"), error.getMessage());
        assertTrue(error.getMessage().contains("65535"), error.getMessage());
        assertTrue(error.getMessage().length() < 300, "the topic was repeated");
        assertEquals(65_535, Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_TOPIC", "t".repeat(65_535)), true)
                .topic().length());
    }

    @Test
    void aTopicWithANullCharacterIsASettingsError() {
        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_TOPIC", "a\u0000b"), true));

        assertTrue(error.getMessage().startsWith("MQTT_TOPIC contains the null character U+0000"), error.getMessage());
    }

    @Test
    void aCaFileThatIsADirectoryIsASettingsError(@TempDir Path directory) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_CA_FILE", directory.toString()), true));

        assertTrue(error.getMessage().startsWith("MQTT_CA_FILE=" + directory + " is a directory"), error.getMessage());
    }

    @Test
    void toStringNeverShowsThePassword() {
        Settings settings = Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_USERNAME", "u",
                "MQTT_PASSWORD", "s3cret-Pa55"), true);

        assertFalse(settings.toString().contains("s3cret-Pa55"), settings.toString());
        assertTrue(settings.toString().contains("password=<redacted>"));
    }
}
