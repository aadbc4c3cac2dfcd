package serverless.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a broker is and how to reach it, as the MQTT_* variables describe it to an example.
 *
 * @param host the deployment's host name: what goes into MQTT_HOST, is sent as SNI, and is in the certificate
 * @param tlsPort MQTT over TLS (Serverless: 8883)
 * @param wssPort MQTT over secure WebSocket (Serverless: 8084)
 * @param wsPath the WebSocket path (Serverless: /mqtt)
 * @param caFile the CA file for MQTT_CA_FILE; empty means the JDK's default trust store
 * @param username a user the broker accepts
 * @param password that user's password
 * @param hostsFile a hosts file that makes {@code host} resolve to the broker in the examples' JVMs, if needed
 */
public record Endpoint(String host, int tlsPort, int wssPort, String wsPath, Optional<Path> caFile,
        String username, String password, Optional<Path> hostsFile) {

    /**
     * The deployment as a user describes it, in the order to export them: {@code MQTT_HOST}, {@code MQTT_PORT} (MQTT
     * over TLS), {@code MQTT_WS_PORT} and {@code MQTT_WS_PATH} (MQTT over WSS), {@code MQTT_USERNAME},
     * {@code MQTT_PASSWORD}, and {@code MQTT_CA_FILE} where a CA file is needed. The doctor takes them all.
     */
    public Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MQTT_HOST", host);
        variables.put("MQTT_PORT", String.valueOf(tlsPort));
        variables.put("MQTT_WS_PORT", String.valueOf(wssPort));
        variables.put("MQTT_WS_PATH", wsPath);
        variables.put("MQTT_USERNAME", username);
        variables.put("MQTT_PASSWORD", password);
        caFile.ifPresent(ca -> variables.put("MQTT_CA_FILE", ca.toAbsolutePath().toString()));
        return variables;
    }

    /**
     * What an example over {@code transport} is given, as a user exports it: {@code MQTT_PORT} is its transport's
     * port ({@code MQTT_PORT=$MQTT_WS_PORT} for WSS, with {@code MQTT_WS_PATH}); no {@code MQTT_WS_PORT}.
     */
    public Map<String, String> variablesFor(Transport transport) {
        Map<String, String> variables = variables();
        String wssPortText = variables.remove("MQTT_WS_PORT");
        if (transport == Transport.WSS) {
            variables.put("MQTT_PORT", wssPortText);
        } else {
            variables.remove("MQTT_WS_PATH");
        }
        return variables;
    }

    /**
     * What a single-file starter reads, as its README exports them: the address, port ({@code 8883}'s or, for WSS,
     * {@code 8084}'s), user and CA file. A WebSocket starter has Serverless' path, {@code /mqtt}, in its code.
     */
    public Map<String, String> starterVariables(Transport transport) {
        Map<String, String> variables = variablesFor(transport);
        variables.remove("MQTT_WS_PATH");
        return variables;
    }

    /** The same deployment through other ports (another listener of the same broker). */
    public Endpoint withPorts(int otherTlsPort, int otherWssPort) {
        return new Endpoint(host, otherTlsPort, otherWssPort, wsPath, caFile, username, password, hostsFile);
    }

    /** Never the password: records print all their fields. */
    @Override
    public String toString() {
        return "Endpoint[" + host + ", mqtts " + tlsPort + ", wss " + wssPort + wsPath + ", user " + username
                + ", password <redacted>, trust " + caFile.map(Path::toString).orElse("JDK default") + "]";
    }
}
