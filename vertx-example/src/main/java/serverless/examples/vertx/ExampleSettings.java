package serverless.examples.vertx;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The connection settings, read from MQTT_* environment variables and checked before anything connects.
 *
 * <p>A record would print the password in {@code toString()}; {@link #toString()} is overridden so a
 * logged settings object never leaks it.
 */
record ExampleSettings(
        String host,
        int port,
        String username,
        String password,
        Optional<Path> caFile,
        String topic,
        String clientId,
        int messages,
        int publishRate) {

    static final int DEFAULT_TLS_PORT = 8883;
    /** What a Serverless deployment takes from one client: 10 messages per second. */
    static final int DEFAULT_PUBLISH_RATE = 10;
    /** MQTT 3.1.1 and 5 encode a topic name's length in two bytes. */
    static final int MAX_TOPIC_BYTES = 65535;

    /**
     * Reads the settings; a missing or malformed variable ends in a {@link SettingsException} naming it.
     * {@code clientIdPrefix} starts the generated client id, e.g. "vertx" for vertx-3f2a9c1d.
     */
    static ExampleSettings fromEnvironment(String clientIdPrefix) {
        return from(System.getenv(), clientIdPrefix);
    }

    static ExampleSettings from(Map<String, String> env, String clientIdPrefix) {
        // The domain name alone: a pasted URL (scheme, port, path) is refused with what to set instead.
        String host = HostSetting.domainOnly(required(env, "MQTT_HOST",
                "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com"));
        int port = port(env, DEFAULT_TLS_PORT);
        String username = required(env, "MQTT_USERNAME", "a user from the deployment's Authentication page");
        String password = required(env, "MQTT_PASSWORD", "that user's password");
        Optional<Path> caFile = caFile(env);
        // The generated id is short, e.g. vertx-3f2a9c1d: 23 characters or fewer is accepted by every broker
        // (MQTT 3.1 allowed no more, and some deployments still refuse longer ones over MQTT 3.x).
        String clientId = optional(env, "MQTT_CLIENT_ID")
                .orElse(clientIdPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        String topic = optional(env, "MQTT_TOPIC").map(ExampleSettings::checkTopic)
                .orElse("serverless-examples/" + clientId);
        int messages = messages(env);
        int publishRate = publishRate(env);
        return new ExampleSettings(host, port, username, password, caFile, topic, clientId, messages, publishRate);
    }

    /** What the example trusts, in words for the first line it prints. */
    String trustDescription() {
        return caFile.map(file -> "MQTT_CA_FILE " + file).orElse("JDK default trust store");
    }

    @Override
    public String toString() {
        return "ExampleSettings[host=" + host + ", port=" + port + ", username=" + username
                + ", password=<redacted>, caFile=" + caFile + ", topic=" + topic + ", clientId=" + clientId
                + ", messages=" + messages + ", publishRate=" + publishRate + "]";
    }

    private static String required(Map<String, String> env, String name, String hint) {
        return optional(env, name).orElseThrow(() ->
                new SettingsException(name + " is not set: export " + name + "=<" + hint + ">"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** MQTT_CA_FILE: a readable file; a directory is named as such, since it would pass for readable. */
    private static Optional<Path> caFile(Map<String, String> env) {
        Optional<Path> caFile = optional(env, "MQTT_CA_FILE").map(Path::of);
        if (caFile.isPresent() && Files.isDirectory(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " is a directory"
                    + ": give the path of the CA file itself (emqxsl-ca.crt, PEM), or unset it to use"
                    + " the JDK's default trust store");
        }
        if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " cannot be read"
                    + ": give the path of the deployment's CA file (emqxsl-ca.crt, PEM), or unset it to use"
                    + " the JDK's default trust store");
        }
        return caFile;
    }

    /**
     * MQTT_TOPIC is where the example publishes, so it must be a valid topic name: no wildcard (those are for
     * subscribing), no U+0000, at most 65535 bytes in UTF-8. Checked here because the clients otherwise throw
     * an IllegalArgumentException deep inside publish or subscribe. The value is not echoed: it may be huge.
     */
    private static String checkTopic(String topic) {
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

    private static int port(Map<String, String> env, int defaultPort) {
        String value = optional(env, "MQTT_PORT").orElse(String.valueOf(defaultPort));
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new SettingsException("MQTT_PORT=" + value + " is not a port number"
                + ": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)");
    }

    private static int messages(Map<String, String> env) {
        String value = optional(env, "MQTT_MESSAGES").orElse("1");
        try {
            int messages = Integer.parseInt(value);
            if (messages >= 1) {
                return messages;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new SettingsException("MQTT_MESSAGES=" + value + " is not a positive number"
                + ": give how many QoS 1 messages to send and receive back, e.g. 1 or 5000");
    }

    /**
     * MQTT_PUBLISH_RATE: at most this many messages per second (see PublishPace); 10 when not set, which is
     * what Serverless allows one client; 0 turns pacing off, for a broker without that quota.
     */
    private static int publishRate(Map<String, String> env) {
        String value = optional(env, "MQTT_PUBLISH_RATE").orElse(String.valueOf(DEFAULT_PUBLISH_RATE));
        try {
            int rate = Integer.parseInt(value);
            if (rate >= 0) {
                return rate;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new SettingsException("MQTT_PUBLISH_RATE=" + value + " is not a whole number of messages per second"
                + ": export MQTT_PUBLISH_RATE=10 (what Serverless allows one client, and the default), or 0 to"
                + " publish without pacing on a broker without that quota");
    }
}
