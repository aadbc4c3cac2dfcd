package serverless.examples.quarkus;

/**
 * A first connect that got through TLS but never got its CONNACK: the server accepted the connection and never
 * answered the MQTT CONNECT, as a deployment that is starting or overloaded may, or something in between that speaks
 * TLS but not MQTT. The network is fine then, so this must not end in the line for a connection that timed out.
 *
 * <p>Neither the connector nor vertx-mqtt says that TLS completed. Two things tell it: the example's 10 s bound ran
 * out while TCP and TLS have shorter ones of their own (application.properties), which would have failed the attempt
 * first; or vertx-mqtt failed the connect with "Closed", which it does for a connection that was up (TLS completed,
 * the CONNECT sent) and closed before a CONNACK, and which is how its keep-alive gives an unanswered CONNECT up.
 */
final class UnansweredConnect extends Exception {

    /** vertx-mqtt's failure of a connect whose connection closed before the CONNACK. */
    private static final String CLOSED_BEFORE_CONNACK = "Closed";

    UnansweredConnect(Throwable cause) {
        super("the server completed TLS but sent no CONNACK", cause);
    }

    /**
     * Whether {@code firstConnectFailure} was a connection that closed after TLS, before a CONNACK came: vertx-mqtt's
     * failure, a Throwable with only that message, is its cause (it is no Exception, so it arrives wrapped).
     */
    static boolean closedBeforeConnack(Throwable firstConnectFailure) {
        Throwable root = firstConnectFailure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return CLOSED_BEFORE_CONNACK.equals(root.getMessage());
    }
}
