package serverless.examples.quarkus;

import java.util.concurrent.CompletableFuture;

/**
 * The MQTT session as the example sees it, from what the connector's session logs ({@link SessionLog}):
 * the first connection's outcome, the subscription, a lost connection and the reconnect, the final
 * disconnect. It prints the contract's "Connection lost (REASON); reconnecting" and "Reconnected (session
 * present: ...)" lines, and tells {@link RoundTrip} when it may publish.
 *
 * <p>One per JVM ({@link #INSTANCE}): Quarkus creates logging filters itself, before CDI starts. The
 * session's records come from Vert.x event-loop threads, the waits from the main thread, hence
 * {@code synchronized} and futures.
 */
final class ConnectionWatch {

    static final ConnectionWatch INSTANCE = new ConnectionWatch();

    /** The first connection: completes on CONNECTED, fails with the cause of the first failed attempt. */
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    /** The first SUBACK (or the session's subscription, when the broker kept it): the granted QoS. */
    private final CompletableFuture<Integer> subscribed = new CompletableFuture<>();
    /** Completes when the session is DISCONNECTED after {@link #stopping()}. */
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();

    private boolean stopping;
    private boolean lost;
    private boolean readyToPublish;
    private Runnable onReady = () -> { };

    /** A session state change: CONNECTING, CONNECTED, DISCONNECTING or DISCONNECTED, and what caused it. */
    synchronized void stateChanged(String state, Throwable cause) {
        switch (state) {
            case "CONNECTED" -> connected.complete(null);
            case "DISCONNECTING", "DISCONNECTED" -> {
                readyToPublish = false;
                if (stopping) {
                    if (state.equals("DISCONNECTED")) {
                        disconnected.complete(null);
                    }
                } else if (!connected.isDone()) {
                    // The first attempt failed: the connector would retry every second, forever; the example
                    // reports the cause instead (a wrong password or certificate does not fix itself).
                    connected.completeExceptionally(cause != null ? cause : new IllegalStateException("connection closed"));
                } else if (!lost) {
                    lost = true;
                    System.out.println("Connection lost (" + reason(cause) + "); reconnecting");
                }
            }
            default -> { } // CONNECTING
        }
    }

    /** The CONNACK of an accepted connection: whether the broker still had our session. */
    synchronized void connAck(boolean sessionPresent) {
        if (lost && !stopping) {
            lost = false;
            System.out.println("Reconnected (session present: " + sessionPresent + ")");
        }
    }

    /**
     * A subscription's state. The connector subscribes again by itself after a reconnect whose CONNACK says
     * the session is gone, and marks the subscription SUBSCRIBED at once when the broker kept it.
     */
    synchronized void subscription(String state, Integer grantedQos) {
        if (state.equals("SUBSCRIBED") && grantedQos != null) {
            subscribed.complete(grantedQos);
            readyToPublish = grantedQos < 0x80;
            if (readyToPublish) {
                onReady.run();
            }
        } else if (!state.equals("SUBSCRIBING")) {
            readyToPublish = false;
        }
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    CompletableFuture<Integer> subscribed() {
        return subscribed;
    }

    /** Connected and subscribed: a message published now comes back. */
    synchronized boolean readyToPublish() {
        return readyToPublish;
    }

    /** Called each time the subscription is in place again, e.g. after a reconnect. */
    synchronized void onReady(Runnable action) {
        this.onReady = action;
    }

    /** From now on, a closed connection is the end of the run, not a loss to report. */
    synchronized CompletableFuture<Void> stopping() {
        stopping = true;
        return disconnected;
    }

    private static String reason(Throwable cause) {
        if (cause == null || "Connection closed".equals(cause.getMessage())) {
            return "the server closed the connection";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
