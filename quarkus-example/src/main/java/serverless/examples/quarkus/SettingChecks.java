package serverless.examples.quarkus;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The converters of {@link MqttSettings}: each turns one setting's text into its value, or refuses it with a
 * {@link SettingsException} that names the variable and says what to set. SmallRye Config calls them while
 * Quarkus starts, so a wrong setting ends the run before anything connects (and before the TLS registry
 * reads MQTT_CA_FILE).
 */
final class SettingChecks {

    /** MQTT 3.1.1 and 5 encode a topic name's length in two bytes. */
    static final int MAX_TOPIC_BYTES = 65535;

    private SettingChecks() {
    }

    /** MQTT_HOST: the domain name alone (see {@link HostSetting}). */
    public static final class DomainName implements Converter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) { // a converter of its own also gets a missing value, as an empty string
                throw new SettingsException("MQTT_HOST is not set: export MQTT_HOST=<your deployment's address from"
                        + " the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com>");
            }
            return HostSetting.domainOnly(value.trim());
        }
    }

    /** MQTT_PORT: 1 to 65535. */
    public static final class PortNumber implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            Integer port = wholeNumber(value);
            if (port == null || port < 1 || port > 65535) {
                throw new SettingsException("MQTT_PORT=" + value.trim() + " is not a port number"
                        + ": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)");
            }
            return port;
        }
    }

    /** MQTT_MESSAGES: at least 1. */
    public static final class MessageCount implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            Integer messages = wholeNumber(value);
            if (messages == null || messages < 1) {
                throw new SettingsException("MQTT_MESSAGES=" + value.trim() + " is not a positive number"
                        + ": give how many QoS 1 messages to send and receive back, e.g. 1 or 5000");
            }
            return messages;
        }
    }

    /** MQTT_PUBLISH_RATE: a whole number from 0 up (see {@link PublishPace}). */
    public static final class PublishRate implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            Integer rate = wholeNumber(value);
            if (rate == null || rate < 0) {
                throw new SettingsException("MQTT_PUBLISH_RATE=" + value.trim() + " is not a whole number of messages"
                        + " per second: export MQTT_PUBLISH_RATE=10 (what Serverless allows one client, and the"
                        + " default), or 0 to publish without pacing on a broker without that quota");
            }
            return rate;
        }
    }

    /**
     * MQTT_TOPIC is where the example publishes, so it must be a valid topic name: no wildcard (those are for
     * subscribing), no U+0000, at most 65535 bytes in UTF-8. The value is not echoed: it may be huge.
     */
    public static final class TopicName implements Converter<String> {
        @Override
        public String convert(String topic) {
            int bytes = topic.getBytes(UTF_8).length;
            if (bytes > MAX_TOPIC_BYTES) {
                throw new SettingsException("MQTT_TOPIC is " + bytes + " bytes long in UTF-8, and MQTT allows at most "
                        + MAX_TOPIC_BYTES + ": set a shorter topic, e.g. MQTT_TOPIC=serverless-examples/test, or unset it");
            }
            if (topic.indexOf('\0') >= 0) {
                throw new SettingsException("MQTT_TOPIC contains the character U+0000, which MQTT does not allow in a"
                        + " topic: set a plain topic name, e.g. MQTT_TOPIC=serverless-examples/test, or unset it");
            }
            if (topic.contains("+") || topic.contains("#")) {
                throw new SettingsException("MQTT_TOPIC contains the wildcard " + (topic.contains("#") ? "'#'" : "'+'")
                        + ": the example publishes to this topic, so it must be a plain topic name without + or #"
                        + ", e.g. MQTT_TOPIC=serverless-examples/test (wildcards are for subscribing)");
            }
            return topic;
        }
    }

    /**
     * MQTT_CA_FILE: a readable file of PEM certificates. Checked here, with the JDK, so that a wrong file is a
     * settings error naming the variable rather than a failure deep inside the TLS registry.
     */
    public static final class CaFile implements Converter<Path> {
        @Override
        public Path convert(String value) {
            Path file = Path.of(value.trim());
            if (Files.isDirectory(file)) {
                throw new SettingsException("MQTT_CA_FILE=" + file + " is a directory"
                        + ": give the path of the CA file itself (emqxsl-ca.crt, PEM), or unset it to use"
                        + " the JDK's default trust store");
            }
            byte[] pem;
            try {
                pem = Files.readAllBytes(file);
            } catch (IOException | SecurityException unreadable) {
                throw new SettingsException("MQTT_CA_FILE=" + file + " cannot be read"
                        + ": give the path of the deployment's CA file (emqxsl-ca.crt, PEM), or unset it to use"
                        + " the JDK's default trust store");
            }
            if (!holdsPemCertificates(pem)) {
                throw new SettingsException("MQTT_CA_FILE=" + file + " holds no PEM certificate"
                        + ": download the deployment's CA file (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE");
            }
            return file;
        }

        private static boolean holdsPemCertificates(byte[] pem) {
            Collection<? extends Certificate> certificates;
            try {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            } catch (CertificateException notPem) {
                certificates = List.of();
            }
            // The JDK also reads binary (DER) certificates; the TLS registry's PEM trust store reads PEM blocks only.
            return !certificates.isEmpty()
                    && new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----");
        }
    }

    private static Integer wholeNumber(String value) {
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
