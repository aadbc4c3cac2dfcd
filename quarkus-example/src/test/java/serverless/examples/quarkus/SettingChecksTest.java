package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The converters Quarkus calls for MqttSettings: each bad value is refused with a line naming its variable. */
class SettingChecksTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "10, 10", "250, 250", "' 5 ', 5"})
    void aWholeNumberFromZeroUpIsAPublishRate(String value, int rate) {
        assertEquals(rate, new SettingChecks.PublishRate().convert(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "ten", "2.5", "10/s", "99999999999"})
    void anythingElseIsRefusedNamingMqttPublishRate(String value) {
        SettingsException error = assertThrows(SettingsException.class, () -> new SettingChecks.PublishRate().convert(value));
        assertTrue(error.getMessage().startsWith("MQTT_PUBLISH_RATE=" + value + " is not a whole number"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "eighty"})
    void aPortOutsideOneTo65535IsRefused(String value) {
        assertThrows(SettingsException.class, () -> new SettingChecks.PortNumber().convert(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "many"})
    void messagesMustBeAPositiveNumber(String value) {
        SettingsException error = assertThrows(SettingsException.class, () -> new SettingChecks.MessageCount().convert(value));
        assertTrue(error.getMessage().startsWith("MQTT_MESSAGES="), error.getMessage());
    }

    @Test
    void aPastedUrlIsRefusedWithWhatToSetAndWithoutItsPassword() {
        SettingsException error = assertThrows(SettingsException.class,
                () -> new SettingChecks.DomainName().convert("mqtts://user:s3cret@abc.emqxsl.com:8883"));
        assertTrue(error.getMessage().contains("MQTT_HOST=abc.emqxsl.com") && error.getMessage().contains("MQTT_PORT=8883"),
                error.getMessage());
        assertTrue(!error.getMessage().contains("s3cret"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"serverless-examples/+/test", "serverless-examples/#"})
    void aWildcardTopicIsRefused(String topic) {
        SettingsException error = assertThrows(SettingsException.class, () -> new SettingChecks.TopicName().convert(topic));
        assertTrue(error.getMessage().startsWith("MQTT_TOPIC contains the wildcard"), error.getMessage());
    }

    @Test
    void aDirectoryIsNoCaFile(@TempDir Path directory) {
        SettingsException error = assertThrows(SettingsException.class,
                () -> new SettingChecks.CaFile().convert(directory.toString()));
        assertTrue(error.getMessage().contains("is a directory"), error.getMessage());
    }

    @Test
    void aFileWithoutAPemCertificateIsNoCaFile(@TempDir Path directory) throws Exception {
        Path notPem = Files.writeString(directory.resolve("ca.crt"), "not a certificate");
        SettingsException error = assertThrows(SettingsException.class,
                () -> new SettingChecks.CaFile().convert(notPem.toString()));
        assertTrue(error.getMessage().contains("holds no PEM certificate"), error.getMessage());
    }

    @Test
    void theDefaultClientIdIsShortEnoughForEveryBroker() {
        String clientId = clientIdOf(new ExampleDefaults());

        assertTrue(clientId.matches("quarkus-[0-9a-f]{8}"), clientId);
        assertTrue(clientId.length() <= 23, clientId);
    }

    private static String clientIdOf(ExampleDefaults defaults) {
        io.smallrye.config.ConfigSourceContext nothingSet = new io.smallrye.config.ConfigSourceContext() {
            @Override
            public io.smallrye.config.ConfigValue getValue(String name) {
                return io.smallrye.config.ConfigValue.builder().withName(name).build();
            }

            @Override
            public java.util.Iterator<String> iterateNames() {
                return java.util.Collections.emptyIterator();
            }
        };
        return defaults.getConfigSources(nothingSet).iterator().next().getValue("mqtt.client-id");
    }
}
