package serverless.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the clients connect: the deployment's host name (sent as SNI and checked against the certificate by every
 * stack), its two ports, the WebSocket path, a user, and the CA file to trust (empty: the JDK's trust store).
 * {@link #toString()} leaves the password out, so a logged target never leaks it.
 */
record Target(String host, int tlsPort, int wssPort, String wsPath, String username, String password,
        Optional<Path> caFile) {

    int port(Transport transport) {
        return transport == Transport.TLS ? tlsPort : wssPort;
    }

    /** The address as the stacks' users write it, e.g. {@code ssl://host:8883} or {@code wss://host:8084/mqtt}. */
    String uri(Transport transport) {
        return transport == Transport.TLS ? "ssl://" + host + ":" + tlsPort : "wss://" + host + ":" + wssPort + wsPath;
    }

    @Override
    public String toString() {
        return "Target[" + host + ", tls " + tlsPort + ", wss " + wssPort + wsPath + ", user " + username
                + ", password <redacted>, ca " + caFile.map(Path::toString).orElse("JDK trust store") + "]";
    }
}
