package serverless.examples.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The connection settings, bound by Quarkus from the {@code mqtt.*} configuration: environment variables
 * (MQTT_HOST becomes mqtt.host, MQTT_CA_FILE mqtt.ca-file, ...), system properties or application.properties.
 *
 * <p>Quarkus checks a mapping when the application starts, before any extension connects anything: a missing
 * value, or one that a converter from {@link SettingChecks} refuses, ends the start with a
 * ConfigValidationException, which {@link Failures} turns into the one-line error and exit code 2.
 * The password is never part of a message: nothing here converts it, and Failures prints no value.
 */
// [START settings]
@ConfigMapping(prefix = "mqtt")
public interface MqttSettings {

    /** The deployment's domain alone; a pasted URL is refused with what to set instead. */
    @WithConverter(SettingChecks.DomainName.class)
    String host();

    @WithDefault("8883")
    @WithConverter(SettingChecks.PortNumber.class)
    int port();

    String username();

    String password();

    /** A readable PEM file of CA certificates; when empty, the JDK's default trust store. */
    @WithConverter(SettingChecks.CaFile.class)
    Optional<Path> caFile();

    /** Default: serverless-examples/CLIENT_ID (application.properties). */
    @WithConverter(SettingChecks.TopicName.class)
    String topic();

    /** Default: quarkus-8 hex digits (ExampleDefaults). */
    String clientId();

    @WithDefault("1")
    @WithConverter(SettingChecks.MessageCount.class)
    int messages();

    /** At most this many messages per second; Serverless takes 10 from one client; 0 turns pacing off. */
    @WithDefault("10")
    @WithConverter(SettingChecks.PublishRate.class)
    int publishRate();
}
// [END settings]
