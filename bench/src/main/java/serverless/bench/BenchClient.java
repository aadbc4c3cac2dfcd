package serverless.bench;

/** One stack, set up for one transport: it opens connections the way that stack's example does. */
interface BenchClient extends AutoCloseable {

    /**
     * A new client object and connection (TCP, TLS handshake with SNI and host name check, CONNECT with a clean
     * session, CONNACK): returns once the broker accepted it, or throws within 10 s.
     */
    BenchConnection connect(String clientId, Deliveries deliveries) throws Exception;

    /** Releases what the stack shares between connections (Vert.x: its event loop). */
    @Override
    default void close() throws Exception {
    }
}
