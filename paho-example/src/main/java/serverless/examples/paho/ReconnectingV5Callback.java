package serverless.examples.paho;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;

/**
 * {@link PahoV5Example}'s client callback (MQTT 5): the same job as {@link ReconnectingCallback} with Paho's
 * MQTT 5 types. Paho's MQTT 5 automatic reconnect has the same gap (its {@code connectComplete} carries no
 * session-present flag), so this one reconnects through {@code connect(options, context, listener)} too; and
 * it repairs the unacknowledged messages before each attempt ({@link #restoreTopicNames()}).
 */
final class ReconnectingV5Callback implements MqttCallback, AutoCloseable {

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String topic;
    private final RoundTrip roundTrip;
    private final Backoff backoff;
    private final Duration connackBound;
    /** Counts the reconnect attempts: only the latest one's outcome counts (see abandonIfUnanswered). */
    private final AtomicInteger attempts = new AtomicInteger();

    ReconnectingV5Callback(MqttAsyncClient client, MqttConnectionOptions options, String topic, RoundTrip roundTrip) {
        this(client, options, topic, roundTrip, ReconnectingCallback.CONNACK_BOUND, new Backoff());
    }

    /** With another bound on a reconnect's CONNACK and another back-off: for tests, which need not wait seconds. */
    ReconnectingV5Callback(MqttAsyncClient client, MqttConnectionOptions options, String topic, RoundTrip roundTrip,
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

    // [START puback_refused]
    @Override
    public void deliveryComplete(IMqttToken token) {
        int i = (Integer) token.getUserContext(); // the message number given to publish()
        // Paho completes a QoS 1 publish on any PUBACK, a refusal included: the PUBACK's reason code is in the
        // token. A code of 0x80 or more is a refusal and ends the run at once, its line saying which: 0x97 (quota
        // exceeded) is Serverless' answer to more than 10 messages per second from one client, 0x87 (not
        // authorized) its ACL's. Unchecked, such a message would only fail to come back, 20 s later.
        int[] reasonCodes = token.getReasonCodes();
        if (reasonCodes != null && reasonCodes[0] >= MqttReturnCode.RETURN_CODE_UNSPECIFIED_ERROR) {
            roundTrip.refused(i, reasonCodes[0]);
        } else {
            roundTrip.acknowledged(i);
        }
    }
    // [END puback_refused]

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // Either the connection broke (an exception) or the server sent DISCONNECT (a reason code).
        String reason = response.getException() != null ? Failures.reason(response.getException())
                : String.format("the server sent DISCONNECT with reason code 0x%02X%s", response.getReturnCode(),
                        response.getReasonString() == null ? "" : ": " + response.getReasonString());
        System.out.println("Connection lost (" + reason + "); reconnecting");
        backoff.schedule(this::reconnect);
    }

    private void reconnect() {
        restoreTopicNames();
        int attempt = attempts.incrementAndGet();
        try {
            IMqttToken connecting = client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken connect) {
                    if (attempt == attempts.get()) {
                        reconnected(connect.getSessionPresent());
                    }
                }

                @Override
                public void onFailure(IMqttToken connect, Throwable cause) {
                    if (attempt == attempts.get()) {
                        backoff.schedule(ReconnectingV5Callback.this::reconnect);
                    }
                }
            });
            // Paho waits for the CONNACK without end (eclipse-paho/paho.mqtt.java#511): see ReconnectingCallback.
            backoff.after(connackBound, () -> abandonIfUnanswered(connecting, attempt));
        } catch (MqttException notNow) {
            backoff.schedule(this::reconnect);
        }
    }

    /** Gives up an attempt still without its CONNACK, as {@link ReconnectingCallback} does. */
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
        roundTrip.connectionChanged(); // the main thread may be waiting to publish
        if (!sessionPresent) {
            // The session expired or the broker lost it, and the subscription with it: subscribe again.
            try {
                client.subscribe(topic, 1);
            } catch (MqttException e) {
                // Then the messages do not come back, and the round trip reports how many are missing.
            }
        }
    }

    /**
     * Works around a Paho MQTT 5 bug (eclipse-paho/paho.mqtt.java#1104, open in 1.2.5, the last release): when
     * the broker allows topic aliases (EMQX and HiveMQ do), Paho sends every PUBLISH after the first to a topic
     * with the alias instead of the topic name, and after a reconnect it resends the unacknowledged ones as they
     * were. An alias means nothing on a new connection, so the broker disconnects (reason 0x94, "topic alias
     * invalid") on every reconnect. Giving those messages their topic name back lets Paho's resend work.
     */
    private void restoreTopicNames() {
        // [START topic_alias_workaround]
        for (IMqttToken pending : client.getPendingTokens()) {
            if (pending.getRequestMessage() instanceof MqttPublish publish && publish.getTopicName() == null) {
                publish.setTopicName(pending.getTopics()[0]);
                publish.getProperties().setTopicAlias(null);
            }
        }
        // [END topic_alias_workaround]
    }

    /** No reconnect from now on: called before the final DISCONNECT. */
    @Override
    public void close() {
        backoff.close();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
