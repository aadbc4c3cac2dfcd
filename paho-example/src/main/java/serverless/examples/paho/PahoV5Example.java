package serverless.examples.paho;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;

/**
 * Eclipse Paho (MQTT 5) over TLS to EMQX Cloud Serverless: the same steps as {@link PahoExample} with
 * Paho's MQTT 5 client. Run with: {@code java -cp target/paho-example.jar serverless.examples.paho.PahoV5Example}
 */
public final class PahoV5Example {

    private static final int TIMEOUT_SECONDS = 10;
    private static final long TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS);
    /** At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time. */
    private static final int WINDOW = 100;
    /** How long the broker keeps the session after the connection drops (until the final DISCONNECT). */
    private static final long SESSION_EXPIRY_SECONDS = 300;
    /** Paho logs through java.util.logging; see PahoExample. Held in a field: java.util.logging keeps it weakly. */
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    public static void main(String[] args) {
        PAHO_LOG.setLevel(Level.OFF);
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("paho-v5");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: "ssl://" means MQTT over TLS. Serverless has no plaintext port.
        String serverUri = "ssl://" + settings.host() + ":" + settings.port();
        System.out.println("Connecting to " + serverUri + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");

        // 2. Connect options: credentials (Serverless has no anonymous access) and TLS.
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(settings.username());
        options.setPassword(settings.password().getBytes(UTF_8));
        // Verifies the server's chain against MQTT_CA_FILE, or the JDK's trust store when it is not set.
        options.setSocketFactory(TrustedSocketFactory.create(settings.caFile()));
        // Checks that the certificate is for MQTT_HOST (on by default; kept on explicitly). Paho also sends
        // MQTT_HOST as SNI, which Serverless requires.
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(TIMEOUT_SECONDS);

        // [START session]
        // 3. A session that outlives the connection: the broker keeps the subscription and queues QoS 1
        //    messages for 300 s after a drop, and Paho resends the messages that have no PUBACK yet.
        options.setCleanStart(false);
        options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
        // [END session]

        // Counts PUBACKs and returning messages, and keeps the window (RoundTrip).
        RoundTrip roundTrip = new RoundTrip(settings.clientId(), settings.messages());
        // Paho's MQTT 5 client is not AutoCloseable: it is closed after the disconnect at the end. On a
        // failure main() reports the error and ends the JVM, which ends the client's threads with it.
        MqttAsyncClient client = new MqttAsyncClient(serverUri, settings.clientId(), new MemoryPersistence());
        // PUBACKs and messages go to the round trip; a dropped connection is reconnected (ReconnectingV5Callback).
        // The client callback, not per-subscription listeners: Paho's MQTT 5 client ties those to MQTT 5
        // subscription identifiers (eclipse-paho/paho.mqtt.java#445); the callback works with every broker.
        ReconnectingV5Callback callback = new ReconnectingV5Callback(client, options, settings.topic(), roundTrip);
        client.setCallback(callback);
        IMqttToken connect = client.connect(options);
        try {
            connect.waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            // A timeout after TLS completed is a CONNECT that went unanswered, not the network (UnansweredConnect).
            throw UnansweredConnect.from(e, e.getReasonCode(), options.getSocketFactory());
        }
        System.out.println("Connected with client id " + settings.clientId());

        // 4. Subscribe first, so our own messages come back to us. A SUBACK reason code of 0x80 or above is a
        //    refusal (the ACL, or Serverless' subscription quota), which Paho's MQTT 5 client does not turn into an
        //    exception.
        IMqttToken subscription = client.subscribe(settings.topic(), 1);
        subscription.waitForCompletion(TIMEOUT_MILLIS);
        int suback = subscription.getReasonCodes()[0];
        if (suback >= 0x80) {
            throw new Refusals.SubscriptionRefused(Refusals.named(suback));
        }
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // 5. Publish at QoS 1 without waiting for each PUBACK, but with at most WINDOW messages unfinished, and
        //    never more than the broker's Receive Maximum from the CONNACK (Paho throws beyond it); and at most
        //    MQTT_PUBLISH_RATE messages per second: Serverless refuses what is over 10 per second with PUBACK 0x97
        //    (quota exceeded). A refusal ends the run (ReconnectingV5Callback.deliveryComplete).
        Integer receiveMaximum = connect.getResponseProperties().getReceiveMaximum(); // null: 65,535
        // Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
        int window = RoundTrip.window(receiveMaximum == null ? WINDOW : Math.min(WINDOW, receiveMaximum),
                settings.publishRate());
        PublishPace pace = new PublishPace(settings.publishRate());
        for (int i = 1; i <= settings.messages(); i++) {
            roundTrip.awaitRoom(window);
            pace.awaitTurn();
            publish(client, settings.topic(), roundTrip, i);
        }
        roundTrip.awaitAllAcknowledged();
        System.out.println("Published " + settings.messages() + "/" + settings.messages() + " messages to "
                + settings.topic() + " at QoS 1");

        // 6. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
        roundTrip.awaitAllReceived();
        System.out.println("Received " + settings.messages() + "/" + settings.messages() + " messages on "
                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

        // [START final_disconnect]
        // 7. Done: no reconnect from here on, and session expiry 0 in the DISCONNECT, so the broker drops the
        //    session now instead of keeping it for 300 s.
        callback.close();
        MqttProperties endSession = new MqttProperties();
        endSession.setSessionExpiryInterval(0L);
        client.disconnect(TIMEOUT_MILLIS, null, null, MqttReturnCode.RETURN_CODE_SUCCESS, endSession)
                .waitForCompletion(TIMEOUT_MILLIS);
        // [END final_disconnect]
        client.close();
        System.out.println("Disconnected");
    }

    /**
     * Publishes message {@code i} at QoS 1 without waiting for its PUBACK (deliveryComplete gets it, with
     * {@code i} as the token's context). While the connection is down, it waits for the reconnect: Paho's
     * MQTT 5 client keeps messages published while disconnected only with its own automatic reconnect on (its
     * disconnected buffer checks a "resting" state that only that sets), which ReconnectingV5Callback replaces.
     */
    private static void publish(MqttAsyncClient client, String topic, RoundTrip roundTrip, int i) throws Exception {
        while (true) {
            try {
                client.publish(topic, roundTrip.payload(i).getBytes(UTF_8), 1, false, i, null);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                        && e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_DISCONNECTING) {
                    throw e;
                }
                roundTrip.awaitConnected(client::isConnected); // ends with an error after 20 s without progress
            }
        }
    }
}
