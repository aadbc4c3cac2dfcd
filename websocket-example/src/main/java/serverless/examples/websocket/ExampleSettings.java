package serverless.examples.websocket;

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
        String webSocketPath,
        String username,
        String password,
        Optional<Path> caFile,
        String topic,
        String clientId,
        int messages) {

    /** Serverless serves MQTT over WebSocket with TLS on port 8084, at the path /mqtt. */
    static final int DEFAULT_WSS_PORT = 8084;
    static final String DEFAULT_WS_PATH = "/mqtt";

    /** Reads the settings; a missing or malformed variable ends in a {@link SettingsException} naming it. */
    static ExampleSettings fromEnvironment(String module) {
        Map<String, String> env = System.getenv();
        String host = required(env, "MQTT_HOST",
                "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com");
        int port = port(env, DEFAULT_WSS_PORT);
        String webSocketPath = webSocketPath(env);
        String username = required(env, "MQTT_USERNAME", "a user from the deployment's Authentication page");
        String password = required(env, "MQTT_PASSWORD", "that user's password");
        Optional<Path> caFile = optional(env, "MQTT_CA_FILE").map(Path::of);
        if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " cannot be read"
                    + ": give the path of the deployment's CA file (emqxsl-ca.crt, PEM), or unset it to use"
                    + " the JDK's default trust store");
        }
        String clientId = optional(env, "MQTT_CLIENT_ID")
                .orElse(module + "-" + UUID.randomUUID().toString().substring(0, 8));
        String topic = optional(env, "MQTT_TOPIC").orElse("serverless-examples/" + clientId);
        int messages = messages(env);
        return new ExampleSettings(host, port, webSocketPath, username, password, caFile, topic, clientId, messages);
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
                + ", clientId=" + clientId + ", messages=" + messages + "]";
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
}
