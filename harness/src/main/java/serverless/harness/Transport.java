package serverless.harness;

/**
 * The two ways to a deployment that Serverless offers, for an example and for the broker that records it:
 * MQTT over TLS, and MQTT over WebSocket over TLS.
 */
public enum Transport {
    /** MQTT over TLS ({@code ssl://}, Serverless port 8883). */
    TLS("tcp"),
    /** MQTT over WebSocket over TLS ({@code wss://}, Serverless port 8084, path {@code /mqtt}). */
    WSS("websocket");

    private final String listenerName;

    Transport(String listenerName) {
        this.listenerName = listenerName;
    }

    /** The name of the local broker's listener for this transport, as HiveMQ's configuration calls it. */
    public String listenerName() {
        return listenerName;
    }
}
