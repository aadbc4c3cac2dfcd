package serverless.bench;

/** One connected client, as the measurements use it. */
interface BenchConnection extends AutoCloseable {

    /** Subscribes and returns once the SUBACK granted it. */
    void subscribe(String topic, int qos) throws Exception;

    /** Sends one PUBLISH without waiting for its PUBACK (that comes to {@link Deliveries#acknowledged()}). */
    void publish(String topic, byte[] payload, int qos) throws Exception;

    /** At most this many QoS 1 PUBLISHes may be unacknowledged (an MQTT 5 broker's Receive Maximum). */
    default int sendLimit() {
        return Integer.MAX_VALUE;
    }

    /** DISCONNECT, and closes the connection. */
    @Override
    void close() throws Exception;
}
