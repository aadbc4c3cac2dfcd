package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSettingTest {

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "[2001:db8::1]", "::1", "fe80::1%eth0", "::ffff:192.0.2.1"})
    void anIpv6AddressIsRefusedBeforeConnecting(String value) {
        SettingsException error = assertThrows(SettingsException.class, () -> HostSetting.domainOnly(value));
        assertTrue(error.getMessage().startsWith("MQTT_HOST is an IPv6 address: Serverless is reached by the"
                + " deployment's domain name"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xxxxxxxx.ala.us-east-1.emqxsl.com", "cafe.emqxsl.com", "deployment.emqxsl.test"})
    void aDomainNameIsKept(String value) {
        assertEquals(value, HostSetting.domainOnly(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]:8883", "mqtts://[2001:db8::1]:8883"})
    void anIpv6AddressWithAPortIsAPaste(String value) {
        SettingsException error = assertThrows(SettingsException.class, () -> HostSetting.domainOnly(value));
        assertTrue(error.getMessage().contains("a port (8883)"), error.getMessage());
    }
}
