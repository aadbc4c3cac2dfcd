package serverless.harness.broker;

/** The two ways into the broker, as Serverless offers them: MQTT over TLS, and MQTT over WebSocket over TLS. */
public enum Transport {
    /** MQTT over TLS (Serverless port 8883). */
    TCP("tcp"),
    /** MQTT over WebSocket over TLS (Serverless port 8084, path {@code /mqtt}). */
    WEBSOCKET("websocket");

    private final String listenerName;

    Transport(String listenerName) {
        this.listenerName = listenerName;
    }

    /** The name of the broker's listener for this transport, as it appears in the broker's configuration. */
    public String listenerName() {
        return listenerName;
    }
}
