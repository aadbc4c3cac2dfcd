package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * {@link PahoWebSocketExample}'s client callback (MQTT 3.1.1): hands every PUBACK and every arriving message to the
 * {@link RoundTrip}, and when the connection drops, reconnects with back-off, says so, and subscribes again
 * if the broker no longer has the session.
 *
 * <p>What Paho does by itself with {@code cleanSession=false}: it keeps the messages that have no PUBACK yet
 * and resends them after a reconnect, and (with its disconnected buffer) keeps the ones published meanwhile.
 * Why this class reconnects instead of Paho's {@code setAutomaticReconnect(true)}: Paho's own reconnects end
 * in {@code connectComplete(reconnect, serverURI)}, which does not carry the CONNACK's session-present flag,
 * so nothing could tell whether the subscription survived (and its back-off delay is a static field shared
 * by every client in the JVM). {@code connect(options, context, listener)} hands over the CONNACK's token.
 */
final class ReconnectingCallback implements MqttCallback, AutoCloseable {

    /**
     * How long a reconnect attempt may wait for its CONNACK, as long as the first connect. Paho itself waits without
     * end (eclipse-paho/paho.mqtt.java#511), so one attempt that a server accepted but never answered (one that is
     * restarting may) would end the reconnects for good, and the run with them.
     */
    static final Duration CONNACK_BOUND = Duration.ofSeconds(10);

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String topic;
    private final RoundTrip roundTrip;
    private final Backoff backoff;
    private final Duration connackBound;
    /** Counts the reconnect attempts: only the latest one's outcome counts (see abandonIfUnanswered). */
    private final AtomicInteger attempts = new AtomicInteger();

    ReconnectingCallback(MqttAsyncClient client, MqttConnectOptions options, String topic, RoundTrip roundTrip) {
        this(client, options, topic, roundTrip, CONNACK_BOUND, new Backoff());
    }

    /** With another bound on a reconnect's CONNACK and another back-off: for tests, which need not wait seconds. */
    ReconnectingCallback(MqttAsyncClient client, MqttConnectOptions options, String topic, RoundTrip roundTrip,
            Duration connackBound, Backoff backoff) {
        this.client = client;
        this.options = options;
        this.topic = topic;
        this.roundTrip = roundTrip;
        this.connackBound = connackBound;
        this.backoff = backoff;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        roundTrip.received(new String(message.getPayload(), UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        roundTrip.acknowledged((Integer) token.getUserContext()); // the message number given to publish()
    }

    // [START paho_reconnect]
    @Override
    public void connectionLost(Throwable cause) {
        System.out.println("Connection lost (" + Failures.reason(cause) + "); reconnecting");
        backoff.schedule(this::reconnect);
    }

    private void reconnect() {
        int attempt = attempts.incrementAndGet();
        try {
            IMqttToken connecting = client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken connect) {
                    if (attempt == attempts.get()) {
                        reconnected(connect.getSessionPresent());
                    }
                }

                @Override
                public void onFailure(IMqttToken connect, Throwable cause) {
                    if (attempt == attempts.get()) {
                        backoff.schedule(ReconnectingCallback.this::reconnect);
                    }
                }
            });
            backoff.after(connackBound, () -> abandonIfUnanswered(connecting, attempt));
        } catch (MqttException notNow) {
            backoff.schedule(this::reconnect);
        }
    }

    /**
     * Gives up an attempt still without its CONNACK: drops its connection (which Paho reports to no callback) and
     * schedules the next attempt; should the old one's callback still come, it is no longer the latest and is ignored.
     */
    private void abandonIfUnanswered(IMqttToken connecting, int attempt) {
        if (connecting.isComplete() || attempts.compareAndExchange(attempt, attempt + 1) != attempt) {
            return;
        }
        try {
            client.disconnectForcibly(0, 0, false); // no DISCONNECT packet: the server never answered the CONNECT
        } catch (MqttException e) {
            // nothing left to drop
        }
        backoff.schedule(this::reconnect);
    }

    private void reconnected(boolean sessionPresent) {
        backoff.reset();
        System.out.println("Reconnected (session present: " + sessionPresent + ")");
        if (!sessionPresent) {
            // The broker lost the session, and the subscription with it: subscribe again.
            try {
                client.subscribe(topic, 1);
            } catch (MqttException e) {
                // Then the messages do not come back, and the round trip reports how many are missing.
            }
        }
    }
    // [END paho_reconnect]

    /** No reconnect from now on: called before the final DISCONNECT. */
    @Override
    public void close() {
        backoff.close();
    }
}
