package serverless.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The settings as Spring Boot binds them from environment variables (relaxed binding: MQTT_CA_FILE is
 * mqtt.ca-file), and each bad one ending the start-up with its line and exit code 2. Only the settings are in
 * the context: nothing connects.
 */
class MqttSettingsTest {

    /**
     * The failed contexts would each log a warning through java.util.logging (these contexts have no Boot logging
     * system); the test checks the failure itself. Held in a field: java.util.logging keeps loggers weakly.
     */
    private static final Logger SPRING_LOG = Logger.getLogger("org.springframework");

    static {
        SPRING_LOG.setLevel(Level.OFF);
    }

    private static final Map<String, String> VALID = Map.of("MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com",
            "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret");

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MqttSettings.class)
    static class SettingsOnly {
        @Bean
        static ConfigurationPropertiesBindHandlerAdvisor settingsFailures() {
            return new SettingsFailures();
        }
    }

    @Test
    void bindsTheEnvironmentVariablesWithDefaults() {
        withEnvironment(VALID, context -> {
            MqttSettings settings = context.getBean(MqttSettings.class);
            assertThat(settings.serverUri()).isEqualTo("ssl://xxxxxxxx.ala.us-east-1.emqxsl.com:8883");
            assertThat(settings.clientId()).matches("spring-[0-9a-f]{8}").hasSizeLessThanOrEqualTo(23);
            assertThat(settings.topic()).isEqualTo("serverless-examples/" + settings.clientId());
            assertThat(settings.messages()).isEqualTo(1);
            assertThat(settings.publishRate()).isEqualTo(10);
            assertThat(settings.trustDescription()).isEqualTo("JDK default trust store");
            assertThat(settings.toString()).doesNotContain("secret");
        });
    }

    @Test
    void bindsTheVariablesWithUnderscoresInTheirNames(@TempDir Path dir) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TestCertificates.PEM);
        withEnvironment(with("MQTT_CA_FILE", ca.toString(), "MQTT_CLIENT_ID", "my-client", "MQTT_PUBLISH_RATE", "0",
                "MQTT_MESSAGES", "5000", "MQTT_PORT", "38883"), context -> {
            MqttSettings settings = context.getBean(MqttSettings.class);
            assertThat(settings.trustDescription()).isEqualTo("MQTT_CA_FILE " + ca);
            assertThat(settings.clientId()).isEqualTo("my-client");
            assertThat(settings.publishRate()).isZero();
            assertThat(settings.messages()).isEqualTo(5000);
            assertThat(settings.port()).isEqualTo(38883);
        });
    }

    @Test
    void anEmptyValueCountsAsNotSet() {
        withEnvironment(with("MQTT_CLIENT_ID", "", "MQTT_CA_FILE", " "), context -> {
            MqttSettings settings = context.getBean(MqttSettings.class);
            assertThat(settings.clientId()).startsWith("spring-");
            assertThat(settings.trustDescription()).isEqualTo("JDK default trust store");
        });
        failsWith(with("MQTT_PASSWORD", ""), "MQTT_PASSWORD is not set: export MQTT_PASSWORD=<that user's password>");
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> env = new HashMap<>(VALID);
        env.remove("MQTT_HOST");
        failsWith(env, "MQTT_HOST is not set: export MQTT_HOST=<your deployment's address from the console,"
                + " e.g. xxxxxxxx.ala.us-east-1.emqxsl.com>");
    }

    @Test
    void aUrlPastedIntoTheHostSaysWhatToSetWithoutRepeatingIt() {
        String line = failsWith(with("MQTT_HOST", "mqtts://someone:pw@xxxxxxxx.ala.us-east-1.emqxsl.com:8883"), "");
        assertThat(line).contains("MQTT_HOST=xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_PORT=8883").doesNotContain("pw");
    }

    @Test
    void numbersThatDoNotConvertAreNamedWithTheirValue() {
        failsWith(with("MQTT_PORT", "eighty"), "MQTT_PORT=eighty is not a port number");
        failsWith(with("MQTT_MESSAGES", "many"), "MQTT_MESSAGES=many is not a positive whole number");
        failsWith(with("MQTT_PUBLISH_RATE", "ten"), "MQTT_PUBLISH_RATE=ten is not a whole number");
        failsWith(with("MQTT_PUBLISH_RATE", "-1"), "MQTT_PUBLISH_RATE=-1 is not a whole number");
        failsWith(with("MQTT_MESSAGES", "0"), "MQTT_MESSAGES=0 is not a positive whole number");
        failsWith(with("MQTT_PORT", "70000"), "MQTT_PORT=70000 is not a port number");
    }

    @Test
    void aTopicMustBeAPlainTopicName() {
        failsWith(with("MQTT_TOPIC", "serverless-examples/#"), "MQTT_TOPIC contains the wildcard '#'");
        failsWith(with("MQTT_TOPIC", "t".repeat(65_536)), "MQTT_TOPIC is 65536 bytes long");
    }

    @Test
    void theCaFileMustBeAReadablePemFile(@TempDir Path dir) throws IOException {
        failsWith(with("MQTT_CA_FILE", dir.toString()), "MQTT_CA_FILE=" + dir + " is a directory");
        failsWith(with("MQTT_CA_FILE", dir.resolve("missing.pem").toString()),
                "MQTT_CA_FILE=" + dir.resolve("missing.pem") + " cannot be read");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        failsWith(with("MQTT_CA_FILE", notPem.toString()), "MQTT_CA_FILE=" + notPem + " holds no PEM certificate");
    }

    private static Map<String, String> with(String... nameValues) {
        Map<String, String> env = new HashMap<>(VALID);
        for (int i = 0; i < nameValues.length; i += 2) {
            env.put(nameValues[i], nameValues[i + 1]);
        }
        return env;
    }

    /** Asserts that the start-up fails with a settings error (exit code 2) whose line starts with {@code start}. */
    private static String failsWith(Map<String, String> env, String start) {
        String[] line = new String[1];
        withEnvironment(env, context -> {
            assertThat(context).hasFailed();
            SettingsException failure = Failures.find(context.getStartupFailure(), SettingsException.class);
            assertThat(failure).isNotNull();
            assertThat(failure.getExitCode()).isEqualTo(2);
            assertThat(failure.getMessage()).startsWith(start);
            assertThat(new OneLineFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .isEqualTo(failure.getMessage());
            line[0] = failure.getMessage();
        });
        return line[0];
    }

    /** A context with only the settings, whose environment variables are {@code env} (and nothing else). */
    private static void withEnvironment(Map<String, String> env, Consumer<AssertableApplicationContext> check) {
        new ApplicationContextRunner()
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.copyOf(env))))
                .withUserConfiguration(SettingsOnly.class)
                .run(check::accept);
    }
}
