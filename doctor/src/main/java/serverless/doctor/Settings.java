package serverless.doctor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the doctor checks, from the same MQTT_* variables as the examples (command-line options override
 * them). Only MQTT_HOST is required: missing credentials are a finding of the MQTT step, not an error.
 *
 * <p>A record would print the password in {@code toString()}; it is overridden so it never does.
 */
record Settings(
        String host,
        int tlsPort,
        int wsPort,
        String wsPath,
        Optional<String> username,
        Optional<String> password,
        Optional<Path> caFile,
        String topic,
        ClientIds clientIds,
        boolean checkWss) {

    static final int DEFAULT_TLS_PORT = 8883;
    static final int DEFAULT_WS_PORT = 8084;
    static final String DEFAULT_WS_PATH = "/mqtt";

    /** MQTT's limit on a topic: a UTF-8 string with a two-byte length. */
    private static final int MAX_TOPIC_BYTES = 65535;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Reads the settings from {@code variables} (the environment with the command-line options laid over
     * it). An empty value counts as not set. A missing MQTT_HOST or a malformed value ends in a
     * {@link SettingsException} naming the variable.
     */
    static Settings from(Map<String, String> variables, boolean checkWss) {
        String host = value(variables, "MQTT_HOST").orElseThrow(() -> new SettingsException(
                "MQTT_HOST is not set: export MQTT_HOST=<your deployment's address from the console,"
                        + " e.g. xxxxxxxx.ala.us-east-1.emqxsl.com> or pass --host"));
        // A pasted URL (mqtts://HOST:8883, wss://HOST:8084/mqtt) or HOST:PORT: say now what to set instead, rather
        // than fail at the address step with a name that cannot resolve.
        PastedHost.parse(host).ifPresent(pasted -> {
            throw new SettingsException(pasted.problem());
        });
        int tlsPort = port(variables, "MQTT_PORT", DEFAULT_TLS_PORT);
        int wsPort = port(variables, "MQTT_WS_PORT", DEFAULT_WS_PORT);
        String wsPath = value(variables, "MQTT_WS_PATH").orElse(DEFAULT_WS_PATH);
        if (!wsPath.startsWith("/")) {
            throw new SettingsException("MQTT_WS_PATH=" + wsPath + " does not start with /: Serverless' path is /mqtt");
        }
        Optional<Path> caFile = value(variables, "MQTT_CA_FILE").map(Path::of);
        if (caFile.isPresent() && Files.isDirectory(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " is a directory: give the path of the CA file"
                    + " itself (the deployment's emqxsl-ca.crt, PEM), or unset it to use the JDK's default trust store");
        }
        if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " cannot be read: give the path of the"
                    + " deployment's CA file (emqxsl-ca.crt, PEM), or unset it to use the JDK's default trust store");
        }
        String topic = value(variables, "MQTT_TOPIC").map(Settings::checkedTopic)
                .orElse("serverless-doctor/" + UUID.randomUUID().toString().substring(0, 8));
        // Not checked here: an over-long MQTT_CLIENT_ID is what the user came to debug, so the mqtt step diagnoses it
        // after the address, ports and TLS have been checked, rather than stop the doctor before any step.
        ClientIds clientIds = ClientIds.of(value(variables, "MQTT_CLIENT_ID"));
        return new Settings(host, tlsPort, wsPort, wsPath, value(variables, "MQTT_USERNAME"),
                value(variables, "MQTT_PASSWORD"), caFile, topic, clientIds, checkWss);
    }

    /** Whether MQTT_HOST is an IP literal: then no SNI can be sent and no certificate name can match. */
    boolean hostIsIpAddress() {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    /** What the TLS checks trust, in words. */
    String trustDescription() {
        return caFile.map(file -> "MQTT_CA_FILE " + file).orElse("the JDK's default trust store");
    }

    /** The same, short, for the TLS step's line. */
    String trustShort() {
        return caFile.isPresent() ? "MQTT_CA_FILE" : "the JDK trust store";
    }

    String tlsUri() {
        return "ssl://" + host + ":" + tlsPort;
    }

    String wssUri() {
        return "wss://" + host + ":" + wsPort + wsPath;
    }

    @Override
    public String toString() {
        return "Settings[host=" + host + ", tlsPort=" + tlsPort + ", wsPort=" + wsPort + ", wsPath=" + wsPath
                + ", username=" + username.orElse("<not set>")
                + ", password=" + (password.isPresent() ? "<redacted>" : "<not set>")
                + ", caFile=" + caFile.map(Path::toString).orElse("<not set>") + ", topic=" + topic
                + ", clientIds=" + clientIds.describe(checkWss) + ", checkWss=" + checkWss + "]";
    }

    /**
     * MQTT_TOPIC, which the round trip publishes to: a topic name, so no wildcard (+ or #, which only a
     * subscription may use), no U+0000, and at most 65535 bytes in UTF-8 (MQTT's limit). The value itself is not
     * repeated in the error: it may be huge.
     */
    private static String checkedTopic(String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            throw new SettingsException("MQTT_TOPIC is " + bytes + " bytes long in UTF-8, but MQTT allows at most "
                    + MAX_TOPIC_BYTES + " bytes in a topic: set a shorter topic, or unset it to use a random one");
        }
        if (topic.indexOf('\0') >= 0) {
            throw new SettingsException("MQTT_TOPIC contains the null character U+0000, which MQTT does not allow"
                    + " in a topic: set a plain topic name, e.g. serverless-doctor/test, or unset it");
        }
        if (topic.contains("+") || topic.contains("#")) {
            throw new SettingsException("MQTT_TOPIC contains the wildcard " + (topic.contains("+") ? "+" : "#")
                    + ", but the round trip publishes to it, and a publish needs a plain topic name (wildcards are for"
                    + " subscriptions): set one without + and #, e.g. serverless-doctor/test, or unset it");
        }
        return topic;
    }

    private static Optional<String> value(Map<String, String> variables, String name) {
        return Optional.ofNullable(variables.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static int port(Map<String, String> variables, String name, int defaultPort) {
        String value = value(variables, name).orElse(String.valueOf(defaultPort));
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new SettingsException(name + "=" + value + " is not a port number"
                + ": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)");
    }
}
