package serverless.examples.websocket;

import javax.net.SocketFactory;

/**
 * A first connect that got through TLS and the WebSocket upgrade but never got its CONNACK within the example's
 * bound: the server accepted the connection and never answered the MQTT CONNECT, as a deployment that is starting or
 * overloaded may, or something in between that speaks TLS and WebSocket but not MQTT. The network is fine then, so
 * this must not end in the line for a connection that timed out; yet Paho reports both as the same timeout, without
 * a cause. (The HiveMQ client says which itself: its CONNACK timeout starts once the upgrade is done.)
 */
final class UnansweredConnect extends Exception {

    /** Paho's own "timed out waiting for a response from the server". */
    private static final int PAHO_CLIENT_TIMEOUT = 32000;

    UnansweredConnect(Throwable timeout) {
        super("the server completed TLS and the WebSocket upgrade but sent no CONNACK", timeout);
    }

    /**
     * What a failed first connect was: an UnansweredConnect when Paho timed out ({@code reasonCode}) after a TLS
     * handshake had completed on a socket of {@code sockets} (the connect options' factory, see
     * {@link PahoSocketFactory}); otherwise {@code failure} as it is. An upgrade that got no answer or another status
     * than 101 would have failed the connect before, with its own error.
     */
    static Exception from(Exception failure, int reasonCode, SocketFactory sockets) {
        boolean tlsCompleted = sockets instanceof PahoSocketFactory paho && paho.handshakeCompleted();
        return reasonCode == PAHO_CLIENT_TIMEOUT && tlsCompleted ? new UnansweredConnect(failure) : failure;
    }
}
