package serverless.examples.spring;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The connection settings, bound by Spring Boot from the {@code mqtt.*} properties. Relaxed binding maps the
 * environment variables every example takes onto them ({@code MQTT_HOST} is {@code mqtt.host},
 * {@code MQTT_CA_FILE} is {@code mqtt.ca-file}), so {@code application.properties} or {@code application.yaml}
 * can set them too.
 *
 * <p>The record validates itself (it is a Spring {@link Validator}, which Boot applies while binding), so a
 * missing or malformed setting stops the application before anything connects; {@link SettingsFailures} turns
 * the first error into the one line and exit code 2. The checks are code, not annotations, because most are
 * more than "not blank" (a URL pasted into MQTT_HOST, a CA file that holds no certificate); that also keeps
 * Hibernate Validator, and its start-up time, out of the application.
 */
@ConfigurationProperties("mqtt")
public record MqttSettings(
        @Nullable String host,
        @DefaultValue("8883") int port,
        @Nullable String username,
        @Nullable String password,
        @Nullable String caFile,
        @Nullable String topic,
        @Nullable String clientId,
        @DefaultValue("1") int messages,
        @DefaultValue("10") int publishRate) implements Validator {

    /** MQTT 3.1.1 and 5 encode a topic name's length in two bytes. */
    static final int MAX_TOPIC_BYTES = 65535;

    /** An empty value counts as not set; without MQTT_CLIENT_ID and MQTT_TOPIC, a fresh pair for this run. */
    public MqttSettings {
        host = trimmed(host);
        username = trimmed(username);
        password = trimmed(password);
        caFile = trimmed(caFile);
        // spring- and 8 random hex digits: at most 23 characters, the limit of MQTT 3.1.1 and some deployments.
        clientId = Optional.ofNullable(trimmed(clientId)).orElse("spring-" + UUID.randomUUID().toString().substring(0, 8));
        topic = Optional.ofNullable(trimmed(topic)).orElse("serverless-examples/" + clientId);
    }

    /** The broker's address: "ssl://" is MQTT over TLS; Serverless has no plaintext port. */
    String serverUri() {
        return "ssl://" + host + ":" + port;
    }

    Optional<Path> caFilePath() {
        return Optional.ofNullable(caFile).map(Path::of);
    }

    /** What the example trusts, in words for the first line it prints. */
    String trustDescription() {
        return caFilePath().map(file -> "MQTT_CA_FILE " + file).orElse("JDK default trust store");
    }

    // [START validation]
    @Override
    public boolean supports(Class<?> type) {
        return MqttSettings.class.isAssignableFrom(type);
    }

    /** The checks, in the order of the variables' table; each error's message is the line the user sees. */
    @Override
    public void validate(Object target, Errors errors) {
        MqttSettings settings = (MqttSettings) target;
        if (settings.host == null) {
            errors.rejectValue("host", "required", notSet("MQTT_HOST",
                    "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com"));
        } else {
            HostSetting.problem(settings.host).ifPresent(line -> errors.rejectValue("host", "notDomain", line));
        }
        if (settings.port < 1 || settings.port > 65535) {
            errors.rejectValue("port", "range", badPort(settings.port));
        }
        if (settings.username == null) {
            errors.rejectValue("username", "required", notSet("MQTT_USERNAME", "a user from the deployment's Authentication page"));
        }
        if (settings.password == null) {
            errors.rejectValue("password", "required", notSet("MQTT_PASSWORD", "that user's password"));
        }
        settings.caFilePath().flatMap(MqttSettings::caFileProblem).ifPresent(line -> errors.rejectValue("caFile", "file", line));
        topicProblem(settings.topic).ifPresent(line -> errors.rejectValue("topic", "topicName", line));
        if (settings.messages < 1) {
            errors.rejectValue("messages", "range", badMessages(settings.messages));
        }
        if (settings.publishRate < 0) {
            errors.rejectValue("publishRate", "range", badPublishRate(settings.publishRate));
        }
    }
    // [END validation]

    /** The password stays out of logs: a record's own toString() would print it. */
    @Override
    public String toString() {
        return "MqttSettings[host=" + host + ", port=" + port + ", username=" + username + ", password=<redacted>"
                + ", caFile=" + caFile + ", topic=" + topic + ", clientId=" + clientId + ", messages=" + messages
                + ", publishRate=" + publishRate + "]";
    }

    static String notSet(String variable, String hint) {
        return variable + " is not set: export " + variable + "=<" + hint + ">";
    }

    static String badPort(Object value) {
        return "MQTT_PORT=" + value + " is not a port number"
                + ": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)";
    }

    static String badMessages(Object value) {
        return "MQTT_MESSAGES=" + value + " is not a positive whole number"
                + ": export MQTT_MESSAGES=<how many QoS 1 messages to send, e.g. 1000>, or unset it to send 1";
    }

    static String badPublishRate(Object value) {
        return "MQTT_PUBLISH_RATE=" + value + " is not a whole number of messages per second"
                + ": export MQTT_PUBLISH_RATE=10 (what a Serverless deployment allows one client), 0 to publish"
                + " without pacing (a broker without that quota), or unset it for 10";
    }

    /**
     * MQTT_CA_FILE: a readable file that holds at least one PEM certificate. Checked here, before Boot's SSL
     * bundle reads it, so that the line names the variable and says what to give instead.
     */
    private static Optional<String> caFileProblem(Path caFile) {
        if (Files.isDirectory(caFile)) {
            return Optional.of("MQTT_CA_FILE=" + caFile + " is a directory: give the path of the CA file itself"
                    + " (emqxsl-ca.crt, PEM), or unset it to use the JDK's default trust store");
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            if (!CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                return Optional.empty();
            }
        } catch (IOException unreadable) {
            return Optional.of("MQTT_CA_FILE=" + caFile + " cannot be read: give the path of the deployment's CA file"
                    + " (emqxsl-ca.crt, PEM), or unset it to use the JDK's default trust store");
        } catch (CertificateException notPem) {
            // reported below
        }
        return Optional.of("MQTT_CA_FILE=" + caFile + " holds no PEM certificate: download the deployment's CA file"
                + " (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE");
    }

    /**
     * MQTT_TOPIC is where the example publishes, so it must be a valid topic name: no wildcard (those are for
     * subscribing), no U+0000, at most 65535 bytes in UTF-8. The value is not echoed: it may be huge.
     */
    private static Optional<String> topicProblem(String topic) {
        int bytes = topic.getBytes(UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            return Optional.of("MQTT_TOPIC is " + bytes + " bytes long in UTF-8, and MQTT allows at most "
                    + MAX_TOPIC_BYTES + ": set a shorter topic, e.g. MQTT_TOPIC=serverless-examples/test, or unset it");
        }
        if (topic.indexOf('\0') >= 0) {
            return Optional.of("MQTT_TOPIC contains the character U+0000, which MQTT does not allow in a topic: set a"
                    + " plain topic name, e.g. MQTT_TOPIC=serverless-examples/test, or unset it");
        }
        if (topic.contains("+") || topic.contains("#")) {
            return Optional.of("MQTT_TOPIC contains the wildcard " + (topic.contains("#") ? "'#'" : "'+'")
                    + ": the example publishes to this topic, so it must be a plain topic name without + or #"
                    + ", e.g. MQTT_TOPIC=serverless-examples/test (wildcards are for subscribing)");
        }
        return Optional.empty();
    }

    private static @Nullable String trimmed(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
