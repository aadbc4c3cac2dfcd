package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho (MQTT 3.1.1) over secure WebSocket to EMQX Cloud Serverless (wss://HOST:8084/mqtt):
 * connect, subscribe, publish MQTT_MESSAGES messages at QoS 1, wait for every one to come back, disconnect;
 * and survive a dropped connection on the way.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8084),
 * MQTT_WS_PATH (/mqtt), MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10 per
 * second). See README.md.
 */
public final class PahoWebSocketExample {

    private static final int TIMEOUT_SECONDS = 10;
    private static final long TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS);
    /** At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time. */
    private static final int WINDOW = 100;
    /**
     * Paho logs through java.util.logging (e.g. SEVERE when a buffered message meets a dropped connection,
     * which this example handles); this example prints its own lines instead. Held in a field because
     * java.util.logging keeps loggers only weakly. In an application, configure your logging instead.
     */
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    public static void main(String[] args) {
        PAHO_LOG.setLevel(Level.OFF);
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("paho-ws");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // [START paho_wss_uri]
        // 1. Address: "wss://" means MQTT over WebSocket with TLS, on port 8084 at the path /mqtt.
        //    Paho takes the path from the URI; Serverless has no plaintext ws:// port (8083).
        String serverUri = "wss://" + settings.host() + ":" + settings.port() + settings.webSocketPath();
        // [END paho_wss_uri]
        System.out.println("Connecting to " + serverUri + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");

        // [START paho_connect_options]
        // 2. Connect options: credentials (Serverless has no anonymous access), TLS and the MQTT version.
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(settings.username());
        options.setPassword(settings.password().toCharArray());
        // Verifies the server's chain against MQTT_CA_FILE, or the JDK's trust store when it is not set.
        options.setSocketFactory(TrustedSocketFactory.create(settings.caFile()));
        // Checks that the certificate is for MQTT_HOST. Paho's default is already on; said here so that
        // nobody copies a version with it off. For wss:// Paho uses the same TLS code as for ssl://, which
        // also sends MQTT_HOST as SNI: Serverless refuses the handshake without it.
        options.setHttpsHostnameVerificationEnabled(true);
        // MQTT 3.1.1 only. With Paho's default version, a failed connect is retried as MQTT 3.1 on the same
        // WebSocket module, which fails with "IOException: Already connected" and hides the real cause
        // (a refused password, for instance).
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // [END paho_connect_options]
        options.setConnectionTimeout(TIMEOUT_SECONDS);

        // [START paho_session]
        // 3. A session that outlives the connection: while this client is away the broker keeps its
        //    subscription and queues its QoS 1 messages, and Paho keeps the messages that have no PUBACK yet
        //    and sends them again after the reconnect. Paho allows 10 in flight by default: raised to the window.
        options.setCleanSession(false);
        options.setMaxInflight(WINDOW);
        // [END paho_session]

        RoundTrip roundTrip = new RoundTrip(settings.clientId(), settings.messages());
        // MemoryPersistence keeps in-flight QoS 1 messages in memory instead of files in the working folder.
        try (MqttAsyncClient client = new MqttAsyncClient(serverUri, settings.clientId(), new MemoryPersistence());
             ReconnectingCallback callback = new ReconnectingCallback(client, options, settings.topic(), roundTrip)) {
            // [START paho_offline_buffer]
            // Messages published while the connection is down wait in Paho's buffer and go out after the reconnect.
            DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
            buffer.setBufferEnabled(true);
            buffer.setBufferSize(WINDOW); // the window never lets more wait
            client.setBufferOpts(buffer);
            // [END paho_offline_buffer]
            // PUBACKs and messages go to the round trip; a dropped connection is reconnected (ReconnectingCallback).
            client.setCallback(callback);
            try {
                client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
            } catch (MqttException e) {
                // A timeout after TLS completed is a CONNECT that went unanswered, not the network (UnansweredConnect).
                throw UnansweredConnect.from(e, e.getReasonCode(), options.getSocketFactory());
            }
            System.out.println("Connected with client id " + settings.clientId());

            // 4. Subscribe first, so our own messages come back to us. The broker refuses with SUBACK 0x80 (the
            //    ACL, or Serverless' subscription quota), which Paho's asynchronous client reports but does not throw.
            IMqttToken subscription = client.subscribe(settings.topic(), 1);
            subscription.waitForCompletion(TIMEOUT_MILLIS);
            if (subscription.getGrantedQos()[0] == Failures.SUBSCRIPTION_REFUSED) {
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            }
            System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

            // [START paho_publish_loop]
            // 5. Publish at QoS 1 without waiting for each PUBACK, but with at most WINDOW messages unfinished, and
            //    at most MQTT_PUBLISH_RATE messages per second: over 10 per second, Serverless drops an MQTT 3.1.1
            //    client's messages without a word (the PUBACK looks normal), so the pace is kept here.
            PublishPace pace = new PublishPace(settings.publishRate());
            // Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
            int window = RoundTrip.window(WINDOW, settings.publishRate());
            for (int i = 1; i <= settings.messages(); i++) {
                roundTrip.awaitRoom(window);
                pace.awaitTurn();
                publish(client, settings.topic(), roundTrip.payload(i), i);
            }
            // [END paho_publish_loop]
            roundTrip.awaitAllAcknowledged();
            System.out.println("Published " + settings.messages() + "/" + settings.messages() + " messages to "
                    + settings.topic() + " at QoS 1");

            // 6. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
            roundTrip.awaitAllReceived();
            System.out.println("Received " + settings.messages() + "/" + settings.messages() + " messages on "
                    + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

            // 7. Done: no reconnect from here on. MQTT 3.1.1 cannot end the session in the DISCONNECT: the
            //    broker drops it after its own expiry for MQTT 3.1.1 sessions (EMQX: 2 hours by default).
            callback.close();
            client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
            System.out.println("Disconnected");
        }
    }

    /**
     * Publishes message {@code i} at QoS 1 without waiting for its PUBACK (deliveryComplete gets it, with
     * {@code i} as the token's context). While the connection is down, Paho's disconnected buffer takes it.
     * When the connection drops just as Paho takes the message, Paho refuses it ("client is currently
     * disconnecting"); by then it counts as disconnected, so the second attempt goes to the buffer.
     */
    private static void publish(MqttAsyncClient client, String topic, String payload, int i) throws MqttException {
        try {
            client.publish(topic, payload.getBytes(UTF_8), 1, false, i, null);
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_DISCONNECTING) {
                throw e;
            }
            client.publish(topic, payload.getBytes(UTF_8), 1, false, i, null);
        }
    }
}
