package serverless.examples.websocket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The connection settings, read from MQTT_* environment variables and checked before anything connects.
 *
 * <p>A record would print the password in {@code toString()}; {@link #toString()} is overridden so a
 * logged settings object never leaks it.
 */
record ExampleSettings(
        String host,
        int port,
        String webSocketPath,
        String username,
        String password,
        Optional<Path> caFile,
        String topic,
        String clientId,
        int messages,
        int publishRate) {

    /** Serverless serves MQTT over WebSocket with TLS on port 8084, at the path /mqtt. */
    static final int DEFAULT_WSS_PORT = 8084;
    static final String DEFAULT_WS_PATH = "/mqtt";
    /** MQTT's limit on a topic: a UTF-8 string with a two-byte length. */
    private static final int MAX_TOPIC_BYTES = 65535;
    /** What a Serverless deployment allows one client to publish: 10 messages per second. */
    static final int DEFAULT_PUBLISH_RATE = 10;
    /** Whole numbers only: "+5", "-0", "1.5" and "10/s" are refused rather than guessed at. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");
    /**
     * An IPv6 address, bare or in brackets ("2001:db8::1", "[::1]"): no host name has two colons. Paho cannot put
     * one in its wss:// URL, and Serverless is never reached by address, only by its domain name.
     */
    private static final Pattern IPV6_ADDRESS =
            Pattern.compile("\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\\]]*)?]?");

    /**
     * Reads the settings; a missing or malformed variable ends in a {@link SettingsException} naming it.
     * Without MQTT_CLIENT_ID the client id is {@code clientIdPrefix} and 8 random hex digits, 23 characters at
     * most: the limit of MQTT 3.1.1 (and of some deployments), so a default id is accepted everywhere.
     */
    static ExampleSettings fromEnvironment(String clientIdPrefix) {
        return from(System.getenv(), clientIdPrefix);
    }

    static ExampleSettings from(Map<String, String> env, String clientIdPrefix) {
        String host = required(env, "MQTT_HOST",
                "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com");
        if (IPV6_ADDRESS.matcher(host).matches()) {
            throw new SettingsException("MQTT_HOST is an IPv6 address: Serverless is reached by the deployment's"
                    + " domain name, which the client sends as SNI and checks against the certificate; set MQTT_HOST"
                    + " to the address the console shows, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com");
        }
        // A pasted URL (mqtts://HOST:8883, wss://HOST:8084/mqtt) or HOST:PORT: say now what to set instead.
        PastedHost.parse(host).ifPresent(pasted -> {
            throw new SettingsException(pasted.problem());
        });
        int port = port(env, DEFAULT_WSS_PORT);
        String webSocketPath = webSocketPath(env);
        String username = required(env, "MQTT_USERNAME", "a user from the deployment's Authentication page");
        String password = required(env, "MQTT_PASSWORD", "that user's password");
        Optional<Path> caFile = caFile(env);
        String clientId = optional(env, "MQTT_CLIENT_ID")
                .orElse(clientIdPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        String topic = optional(env, "MQTT_TOPIC").map(ExampleSettings::checkedTopic)
                .orElse("serverless-examples/" + clientId);
        int messages = messages(env);
        int publishRate = publishRate(env);
        return new ExampleSettings(host, port, webSocketPath, username, password, caFile, topic, clientId, messages,
                publishRate);
    }

    /** The address the example connects to, as it prints it: wss://HOST:PORT/PATH. */
    String serverUri() {
        return "wss://" + host + ":" + port + webSocketPath;
    }

    /** What the example trusts, in words for the first line it prints. */
    String trustDescription() {
        return caFile.map(file -> "MQTT_CA_FILE " + file).orElse("JDK default trust store");
    }

    @Override
    public String toString() {
        return "ExampleSettings[host=" + host + ", port=" + port + ", webSocketPath=" + webSocketPath
                + ", username=" + username + ", password=<redacted>, caFile=" + caFile + ", topic=" + topic
                + ", clientId=" + clientId + ", messages=" + messages + ", publishRate=" + publishRate + "]";
    }

    private static String required(Map<String, String> env, String name, String hint) {
        return optional(env, name).orElseThrow(() ->
                new SettingsException(name + " is not set: export " + name + "=<" + hint + ">"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
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
                + ": Serverless offers MQTT over WebSocket with TLS on 8084 (and MQTT over TLS on 8883)");
    }

    /** MQTT_WS_PATH, default /mqtt; "mqtt" is taken as "/mqtt". */
    private static String webSocketPath(Map<String, String> env) {
        String path = optional(env, "MQTT_WS_PATH").orElse(DEFAULT_WS_PATH);
        if (path.contains(" ") || path.contains("?") || path.contains("#")) {
            throw new SettingsException("MQTT_WS_PATH=" + path + " is not a WebSocket path"
                    + ": Serverless serves MQTT over WebSocket at " + DEFAULT_WS_PATH + " (unset MQTT_WS_PATH for it)");
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    /** MQTT_CA_FILE: a readable file, not a folder (the folder the CA file was downloaded to, say). */
    private static Optional<Path> caFile(Map<String, String> env) {
        Optional<Path> caFile = optional(env, "MQTT_CA_FILE").map(Path::of);
        if (caFile.isPresent() && Files.isDirectory(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " is a directory"
                    + ": give the path of the CA file itself (the deployment's emqxsl-ca.crt, PEM), or unset it to use"
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
     * MQTT_TOPIC, which the example publishes to: a topic name, so no wildcard (+ or #, which only a
     * subscription may use), no U+0000, and at most 65535 bytes in UTF-8 (MQTT's limit). The value itself is
     * not repeated in the error: it may be huge.
     */
    private static String checkedTopic(String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            throw new SettingsException("MQTT_TOPIC is " + bytes + " bytes long in UTF-8, but MQTT allows at most "
                    + MAX_TOPIC_BYTES + " bytes in a topic: set a shorter topic, or unset it to use the default");
        }
        if (topic.indexOf('\0') >= 0) {
            throw new SettingsException("MQTT_TOPIC contains the null character U+0000, which MQTT does not allow"
                    + " in a topic: set a plain topic name, e.g. serverless-examples/test, or unset it");
        }
        if (topic.contains("+") || topic.contains("#")) {
            throw new SettingsException("MQTT_TOPIC contains the wildcard " + (topic.contains("+") ? "+" : "#")
                    + ", but the example publishes to it, and a publish needs a plain topic name (wildcards are for"
                    + " subscriptions): set one without + and #, e.g. serverless-examples/test, or unset it");
        }
        return topic;
    }

    /** MQTT_MESSAGES: how many QoS 1 messages to send and receive back; 1 when not set. */
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
        throw new SettingsException("MQTT_MESSAGES=" + value + " is not a positive whole number"
                + ": export MQTT_MESSAGES=<how many QoS 1 messages to send, e.g. 1000>, or unset it to send 1");
    }

    /**
     * MQTT_PUBLISH_RATE: at most this many messages per second (see {@link PublishPace}); 10 when not set, what a
     * Serverless deployment allows one client. 0 turns pacing off, for brokers without that quota.
     */
    private static int publishRate(Map<String, String> env) {
        String value = optional(env, "MQTT_PUBLISH_RATE").orElse(String.valueOf(DEFAULT_PUBLISH_RATE));
        try {
            if (WHOLE_NUMBER.matcher(value).matches()) {
                return Integer.parseInt(value);
            }
        } catch (NumberFormatException tooLarge) {
            // reported below
        }
        throw new SettingsException("MQTT_PUBLISH_RATE=" + value + " is not a whole number of messages per second"
                + ": export MQTT_PUBLISH_RATE=10 (what a Serverless deployment allows one client), 0 to publish"
                + " without pacing (a broker without that quota), or unset it for 10");
    }
}
