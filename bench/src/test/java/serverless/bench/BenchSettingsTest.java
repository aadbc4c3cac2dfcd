package serverless.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings: local and deployment defaults, and the one-line errors that end the bench with exit 2. */
class BenchSettingsTest {

    private static final Path OUT = Path.of("target");

    @Test
    void withoutMqttHostTheLocalBrokerRunsUnpacedWithTheFullDefaults() {
        BenchSettings settings = BenchSettings.from(Map.of(), OUT);
        assertTrue(settings.remote().isEmpty());
        assertEquals(10_000, settings.messages());
        assertEquals(3, settings.rounds());
        assertEquals(0, settings.publishRate());
        assertEquals(List.of(Stack.values()), settings.stacks());
        assertEquals(20_000, settings.brokerWarmupMessages());
    }

    @Test
    void theBrokersWarmUpDoesAStacksWorkUntimedWithNoWarmUpOfItsOwn() {
        BenchSettings warmUp = BenchSettings.from(Map.of("BENCH_BROKER_WARMUP", "5000", "BENCH_CONNECTS", "12"), OUT)
                .forBrokerWarmUp();
        assertEquals(5000, warmUp.messages(), "messages at each QoS");
        assertEquals(12, warmUp.connects(), "every connect a stack makes");
        assertEquals(0, warmUp.warmupMessages());
        assertEquals(1, warmUp.rounds());
        assertTrue(warmUp.sharedJvm(), "its two clients one after the other in one JVM");
    }

    @Test
    void againstADeploymentItKeepsToServerlessQuotaByDefault() {
        BenchSettings settings = BenchSettings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com",
                "MQTT_USERNAME", "user", "MQTT_PASSWORD", "secret"), OUT);
        assertEquals(10, settings.publishRate());
        assertEquals(10, settings.latencyRate(), "the latency rate never goes over the publish rate");
        assertEquals(50, settings.messages());
        assertEquals(0, settings.brokerWarmupMessages(), "a deployment's broker is warm, and its quota would make it slow");
        assertFalse(settings.toString().contains("secret"), "the password is never printed");
    }

    @Test
    void mqttPublishRateZeroLiftsThePacing() {
        BenchSettings settings = BenchSettings.from(Map.of("MQTT_HOST", "abc.emqxsl.com", "MQTT_USERNAME", "user",
                "MQTT_PASSWORD", "secret", "MQTT_PUBLISH_RATE", "0"), OUT);
        assertEquals(0, settings.publishRate());
        assertEquals(500, settings.latencyRate());
    }

    @Test
    void badSettingsNameTheVariableAndNeverRepeatAPastedUrl() {
        assertEquals("BENCH_MESSAGES=ten is not a whole number of at least 1: unset it for the default, 10000",
                assertThrows(SettingsException.class, () -> BenchSettings.from(Map.of("BENCH_MESSAGES", "ten"), OUT))
                        .getMessage());
        String pasted = assertThrows(SettingsException.class, () -> BenchSettings.from(Map.of(
                "MQTT_HOST", "mqtts://user:secret@abc.emqxsl.com:8883"), OUT)).getMessage();
        assertTrue(pasted.startsWith("MQTT_HOST takes the deployment's domain name alone"), pasted);
        assertFalse(pasted.contains("secret"), pasted);
        assertTrue(assertThrows(SettingsException.class, () -> BenchSettings.from(Map.of("MQTT_HOST", "abc.emqxsl.com",
                "MQTT_PASSWORD", "secret"), OUT)).getMessage().startsWith("MQTT_USERNAME is not set"));
        assertTrue(assertThrows(SettingsException.class, () -> BenchSettings.from(Map.of("BENCH_STACKS", "paho,floor"),
                OUT)).getMessage().contains("'paho', which is not a stack"));
    }
}
