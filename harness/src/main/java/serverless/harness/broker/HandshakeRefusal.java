package serverless.harness.broker;

import serverless.harness.Transport;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A connection the SNI front closed before any MQTT, the way Serverless refuses a TLS handshake without
 * the deployment's host name as SNI. The client sees its TLS handshake closed by the server; for
 * {@link Reason#WRONG_WEBSOCKET_PATH}, an HTTP 404 after the handshake.
 *
 * @param time when it was refused
 * @param transport the public port it came to
 * @param remoteAddress the client's address and port
 * @param sniHostname the SNI host name the client sent; empty when it sent none (or no ClientHello)
 * @param reason why it was refused
 */
public record HandshakeRefusal(Instant time, Transport transport, InetSocketAddress remoteAddress,
        String sniHostname, Reason reason) {

    /** Why the front refused a connection. */
    public enum Reason {
        /** A TLS ClientHello without the SNI extension (an IP address, or a name without a dot, in the JDK). */
        NO_SNI,
        /** SNI with a name other than the deployment's (for instance a CNAME of one's own). */
        WRONG_SNI,
        /** The first bytes were not a TLS ClientHello (plaintext MQTT or HTTP to a TLS port). */
        NOT_TLS,
        /** No complete ClientHello within the bound. */
        TIMEOUT,
        /** The SNI was right but the broker behind the front did not accept the connection (stopped or restarting). */
        BROKER_UNAVAILABLE,
        /**
         * WebSocket port only, after the TLS handshake: an HTTP request for a path other than {@code /mqtt},
         * answered with HTTP 404 and closed, as EMQX answers it.
         */
        WRONG_WEBSOCKET_PATH
    }
}
