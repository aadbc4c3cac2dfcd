package serverless.examples.vertx;

/**
 * A connect that got through TLS but never got its CONNACK within its bound: the server accepted the connection
 * and never answered the MQTT CONNECT, as a deployment that is starting or overloaded may, or something in between
 * that speaks TLS but not MQTT. The network is fine then, so this must not end in the line for a connection that
 * timed out. {@link ReconnectingSession} knows TLS completed from its bounds: TCP and TLS have shorter ones.
 */
final class UnansweredConnect extends Exception {

    UnansweredConnect(Throwable timeout) {
        super("the server completed TLS but sent no CONNACK", timeout);
    }
}
