package serverless.examples.paho;

import javax.net.SocketFactory;

/**
 * A first connect that got through TLS but never got its CONNACK within the example's bound: the server accepted
 * the connection and never answered the MQTT CONNECT, as a deployment that is starting or overloaded may, or
 * something in between that speaks TLS but not MQTT. The network is fine then, so this must not end in the line for
 * a connection that timed out; yet Paho reports both as the same timeout, without a cause.
 */
final class UnansweredConnect extends Exception {

    /** Paho's own "timed out waiting for a response from the server", in both clients. */
    private static final int PAHO_CLIENT_TIMEOUT = 32000;

    UnansweredConnect(Throwable timeout) {
        super("the server completed TLS but sent no CONNACK", timeout);
    }

    /**
     * What a failed first connect was: an UnansweredConnect when Paho timed out ({@code reasonCode}) after a TLS
     * handshake had completed on a socket of {@code sockets} (the connect options' factory, see
     * {@link PahoSocketFactory}); otherwise {@code failure} as it is.
     */
    static Exception from(Exception failure, int reasonCode, SocketFactory sockets) {
        boolean tlsCompleted = sockets instanceof PahoSocketFactory paho && paho.handshakeCompleted();
        return reasonCode == PAHO_CLIENT_TIMEOUT && tlsCompleted ? new UnansweredConnect(failure) : failure;
    }
}
