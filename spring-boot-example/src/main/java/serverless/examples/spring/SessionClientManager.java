package serverless.examples.spring;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;
import org.springframework.integration.mqtt.event.MqttConnectionFailedEvent;

/**
 * The one MQTT connection the application shares: Spring Integration's {@link Mqttv5ClientManager}, which
 * the inbound channel adapter and the outbound message handler both use, plus the parts of a long-lived
 * session that it leaves to the application. The manager is the Paho client's callback ({@code MqttCallback}),
 * so this subclass hears what Paho reports:
 *
 * <ul>
 * <li>the first connect: started by Spring with the application context, it prints the two connect lines, and
 * a failure (which the manager only publishes as a {@link MqttConnectionFailedEvent}) ends the start-up;
 * <li>a dropped connection ({@link #disconnected}): "Connection lost (...)", then reconnects with back-off and
 * prints "Reconnected (session present: ...)". Paho's automatic reconnect is off: it does not tell whether
 * the broker kept the session, it keeps retrying a first connect that failed instead of reporting it, and it
 * resends unacknowledged messages with a topic alias that is void on the new connection (see
 * {@link #restoreTopicNames}). The inbound adapter subscribes again on every connect, so a lost session gets
 * its subscription back;
 * <li>each PUBACK ({@link #deliveryComplete}) with its reason code, which Spring Integration's delivery events do
 * not carry: 0x97, quota exceeded, is how Serverless refuses a client that publishes more than 10 per second, 0x87
 * how its ACL refuses a topic;
 * <li>each SUBACK's reason code, which the inbound adapter does not read: the client it gets
 * ({@link #getClient}) throws when a SUBACK refuses ({@link CheckedSubscribe}).
 * </ul>
 */
final class SessionClientManager extends Mqttv5ClientManager implements ApplicationListener<MqttConnectionFailedEvent> {

    static final long TIMEOUT_MILLIS = 10_000;

    private final MqttSettings settings;
    private final RoundTrip roundTrip;
    private final Backoff backoff = new Backoff();
    /** Counts the reconnect attempts: only the latest one's outcome counts (see abandonIfUnanswered). */
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Throwable firstConnectFailure;
    /** Connected, as far as the application is concerned: false from a drop until the reconnect's CONNACK. */
    private volatile boolean connected;
    /** The manager's client, and the same one as {@link #getClient} hands it out. */
    private IMqttAsyncClient client;
    private IMqttAsyncClient checkedClient;

    SessionClientManager(MqttConnectionOptions options, MqttSettings settings, RoundTrip roundTrip) {
        super(options, settings.clientId());
        this.settings = settings;
        this.roundTrip = roundTrip;
        setPersistence(new MemoryPersistence()); // unacknowledged messages are kept in memory for the resend
        setCompletionTimeout(TIMEOUT_MILLIS); // the first connect's bound, and the subscription's
        // When the context closes on a failure, the manager disconnects at once: by default it would first wait
        // up to 30 s for messages in flight, which after a failure will not finish (every wait is bounded).
        setQuiescentTimeout(0);
        setDisconnectCompletionTimeout(1000);
    }

    /** Connects when the application context starts (Spring Integration's lifecycle), before the adapters. */
    @Override
    public void start() {
        System.out.println("Connecting to " + settings.serverUri() + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");
        super.start();
        if (!isConnected()) {
            Throwable cause = firstConnectFailure != null ? firstConnectFailure
                    : new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            // A timeout after TLS completed is a CONNECT that went unanswered, not the network (UnansweredConnect).
            cause = UnansweredConnect.from(cause, getConnectionInfo().getSocketFactory());
            throw new ExampleFailure(cause, settings); // ends the start-up: one line, exit 1
        }
        connected = true;
        System.out.println("Connected with client id " + getClientId());
    }

    /** The manager publishes a failed first connect as an event instead of throwing it; {@link #start} does. */
    @Override
    public void onApplicationEvent(MqttConnectionFailedEvent event) {
        if (event.getSource() == this && firstConnectFailure == null) {
            firstConnectFailure = event.getCause();
        }
    }

    boolean isSessionConnected() {
        return connected;
    }

    // [START puback_refused]
    @Override
    public void deliveryComplete(IMqttToken token) {
        // Paho completes a QoS 1 publish on any PUBACK, a refusal included: its reason code is in the token, and
        // the PUBLISH it answers (with the payload, so the message number) is the token's request message. A code
        // of 0x80 or more (0x97 quota exceeded, 0x87 not authorized, ...) ends the run at once with its line.
        if (token.getRequestMessage() instanceof MqttPublish publish) {
            int i = roundTrip.indexOf(new String(publish.getMessage().getPayload(), UTF_8));
            int[] reasonCodes = token.getReasonCodes();
            if (reasonCodes != null && reasonCodes[0] >= MqttReturnCode.RETURN_CODE_UNSPECIFIED_ERROR) {
                roundTrip.refused(i, reasonCodes[0]);
            } else if (i > 0) {
                roundTrip.acknowledged(i);
            }
        }
    }
    // [END puback_refused]

    /**
     * The client, for the adapters and this manager alike: the manager's own, whose subscribe throws when the SUBACK
     * refuses ({@link CheckedSubscribe}); null before the start and after the stop.
     */
    @Override
    public synchronized IMqttAsyncClient getClient() {
        IMqttAsyncClient current = super.getClient();
        if (current != client) {
            client = current;
            checkedClient = current == null ? null : CheckedSubscribe.around(current, TIMEOUT_MILLIS);
        }
        return checkedClient;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        connected = false;
        // Either the connection broke (an exception) or the server sent DISCONNECT (a reason code).
        String reason = response.getException() != null ? Failures.reason(response.getException())
                : String.format("the server sent DISCONNECT with reason code 0x%02X%s", response.getReturnCode(),
                        response.getReasonString() == null ? "" : ": " + response.getReasonString());
        System.out.println("Connection lost (" + reason + "); reconnecting");
        backoff.schedule(this::reconnect);
    }

    private void reconnect() {
        IMqttAsyncClient client = getClient();
        if (client == null) {
            return; // stopped meanwhile
        }
        restoreTopicNames(client);
        int attempt = attempts.incrementAndGet();
        try {
            IMqttToken connecting = client.connect(getConnectionInfo(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken connect) {
                    if (attempt == attempts.get()) {
                        reconnected(connect.getSessionPresent());
                    }
                }

                @Override
                public void onFailure(IMqttToken connect, Throwable cause) {
                    if (attempt == attempts.get()) {
                        backoff.schedule(SessionClientManager.this::reconnect);
                    }
                }
            });
            // Paho waits for the CONNACK without end (eclipse-paho/paho.mqtt.java#511): one attempt that a server
            // accepted and never answered (one that is restarting may) would end the reconnects for good.
            backoff.after(Duration.ofMillis(TIMEOUT_MILLIS), () -> abandonIfUnanswered(client, connecting, attempt));
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_CONNECTED) {
                // The outbound handler connects a disconnected client itself when it is given a message at that
                // moment; its CONNACK is not shown to anyone. The adapter subscribes again either way, which is
                // what a lost session needs, so the line says what the application has to assume.
                reconnected(false);
            } else {
                backoff.schedule(this::reconnect);
            }
        }
    }

    /**
     * Gives up an attempt still without its CONNACK: drops its connection (which Paho reports to no callback) and
     * schedules the next attempt; should the old one's callback still come, it is no longer the latest and is ignored.
     */
    private void abandonIfUnanswered(IMqttAsyncClient client, IMqttToken connecting, int attempt) {
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
        connected = true;
        System.out.println("Reconnected (session present: " + sessionPresent + ")");
        roundTrip.connectionChanged(); // the main thread may be waiting to publish
    }

    /**
     * Works around a Paho MQTT 5 bug (eclipse-paho/paho.mqtt.java#1104, open in 1.2.5, the last release): when
     * the broker allows topic aliases (EMQX and HiveMQ do), Paho sends every PUBLISH after the first to a topic
     * with the alias instead of the topic name, and after a reconnect it resends the unacknowledged ones as they
     * were. An alias means nothing on a new connection, so the broker disconnects (reason 0x94, "topic alias
     * invalid") on every reconnect. Giving those messages their topic name back lets Paho's resend work.
     */
    private static void restoreTopicNames(IMqttAsyncClient client) {
        for (IMqttToken pending : client.getPendingTokens()) {
            if (pending.getRequestMessage() instanceof MqttPublish publish && publish.getTopicName() == null) {
                publish.setTopicName(pending.getTopics()[0]);
                publish.getProperties().setTopicAlias(null);
            }
        }
    }

    // [START final_disconnect]
    /**
     * The end of the run: no reconnect from here on, and session expiry 0 in the DISCONNECT, so the broker drops
     * the session now instead of keeping it for 300 s. (The manager's own stop, when the context closes,
     * disconnects without that property.)
     */
    void endSession() throws MqttException {
        backoff.close();
        connected = false;
        MqttProperties endSession = new MqttProperties();
        endSession.setSessionExpiryInterval(0L);
        getClient().disconnect(TIMEOUT_MILLIS, null, null, MqttReturnCode.RETURN_CODE_SUCCESS, endSession)
                .waitForCompletion(TIMEOUT_MILLIS);
    }
    // [END final_disconnect]

    /** When the context closes: no more reconnects, and the client closed. */
    @Override
    public void stop() {
        backoff.close();
        IMqttAsyncClient client = getClient();
        if (client != null && !client.isConnected()) {
            // Disconnected already (the end of the run, or a first connect that failed): the manager's own stop
            // would first wait its quiescent timeout (30 s) for work that cannot finish without a connection.
            try {
                client.close(true);
            } catch (MqttException closing) {
                // nothing is left to release that the JVM's exit does not
            }
            setClient(null);
            return;
        }
        super.stop();
    }
}
