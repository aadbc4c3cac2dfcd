package serverless.harness;

import java.nio.file.Path;
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

    /** Never the password: records print all their fields. */
    @Override
    public String toString() {
        return "Endpoint[" + host + ", mqtts " + tlsPort + ", wss " + wssPort + wsPath + ", user " + username
                + ", password <redacted>, trust " + caFile.map(Path::toString).orElse("JDK default") + "]";
    }
}
