package serverless.examples.hivemq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

/**
 * HiveMQ MQTT Client (MQTT 5) over TLS to EMQX Cloud Serverless: connect with a session that outlives the
 * connection, subscribe, publish MQTT_MESSAGES messages at QoS 1, wait until every one has come back,
 * disconnect. A dropped connection is reconnected by the client and the run carries on.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883),
 * MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES, MQTT_PUBLISH_RATE (10). See README.md.
 */
public final class HiveMqExample {

    private static final int TIMEOUT_SECONDS = 10;
    /** The broker keeps at most 1000 messages per session (EMQX and HiveMQ): stay well below. */
    private static final int MAX_IN_FLIGHT = 100;
    /** How long the broker keeps the session after the connection drops: enough to reconnect. */
    private static final long SESSION_EXPIRY_SECONDS = 300;

    public static void main(String[] args) {
        // Before the client loads Netty: no "sun.misc.Unsafe" warnings on Java 24+ (see NettyUnsafe).
        NettyUnsafe.avoidOnJava24AndNewer();
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("hivemq");
            run(settings);
        } catch (Exception e) {
            // System.exit also ends the client's Netty threads when the failure came after connecting.
            System.exit(Failures.report(e, settings));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: MQTT over TLS (sslConfig() below); Serverless has no plaintext port.
        System.out.println("Connecting to ssl://" + settings.host() + ":" + settings.port() + " as "
                + settings.username() + " (trust: " + settings.trustDescription() + ")");

        ReconnectListener reconnects = new ReconnectListener();
        // [START tls_options]
        // 2. The client: address and TLS, with a time limit for each step of connecting; credentials; reconnect.
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(settings.clientId())
                .transportConfig()
                    .serverHost(settings.host())
                    // Always give the port: the client's default is 8883 with TLS, but 1883 without it.
                    .serverPort(settings.port())
                    .sslConfig()
                        // Trust MQTT_CA_FILE; when it is not set, null: the JDK's default trust store.
                        .trustManagerFactory(CaTrust.fromCaFile(settings.caFile()).orElse(null))
                        // No hostnameVerifier(...) on purpose: without one the client has the JDK check that
                        // the certificate is for MQTT_HOST (endpoint identification "HTTPS"). The client also
                        // opens TLS with MQTT_HOST as peer host, so the JDK sends it as SNI, which Serverless needs.
                        .handshakeTimeout(TIMEOUT_SECONDS, SECONDS)
                        .applySslConfig()
                    .socketConnectTimeout(TIMEOUT_SECONDS, SECONDS)
                    .mqttConnectTimeout(TIMEOUT_SECONDS, SECONDS)
                    .applyTransportConfig()
                // 3. The user's credentials (Serverless has no anonymous access), given to the client and not to
                //    connectWith(): the automatic reconnect sends the client's, and would otherwise connect without.
                .simpleAuth()
                    .username(settings.username())
                    .password(settings.password().getBytes(UTF_8))
                    .applySimpleAuth()
                // Reconnect after a drop, 1 s after it and then doubling up to 5 s between attempts (plus jitter).
                .automaticReconnect()
                    .initialDelay(1, SECONDS)
                    .maxDelay(5, SECONDS)
                    .applyAutomaticReconnect()
                // Called after the automatic reconnect: fail the first connect at once, keep the messages if the
                // session is gone, and print the "Connection lost" / "Reconnected" lines.
                .addConnectedListener(reconnects)
                .addDisconnectedListener(reconnects)
                .buildBlocking();
        // [END tls_options]

        // [START session]
        // 4. Connect. cleanStart(false) and a session expiry: the broker keeps the subscription and the
        //    undelivered messages while the client reconnects. A refusal throws Mqtt5ConnAckException; the time
        //    limits above bound the TCP connect, TLS handshake and CONNACK.
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .send();
        // [END session]
        System.out.println("Connected with client id " + settings.clientId());

        // The blocking client's subscribe() and publish() wait without a time limit; the same client's async
        // view returns futures, so every wait here has a bound.
        Mqtt5AsyncClient async = client.toAsync();
        // At most MAX_IN_FLIGHT messages on their way, and with pacing half a second's worth, so that what
        // the client sends again at once after a reconnect, and the next, stay within the broker's rate (see
        // RoundTrip.window).
        RoundTrip roundTrip = new RoundTrip(settings.clientId(), settings.messages(),
                RoundTrip.window(MAX_IN_FLIGHT, settings.publishRate()));

        // 5. Subscribe at QoS 1, with the callback that takes this subscription's messages: it is in place before
        //    the broker can send any. A SUBACK error code (the ACL, or Serverless' subscription quota) fails with
        //    Mqtt5SubAckException.
        async.subscribeWith()
                .topicFilter(settings.topic())
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(message -> roundTrip.received(message.getPayloadAsBytes()))
                .send()
                .get(TIMEOUT_SECONDS, SECONDS);
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // [START publish]
        // 6. Publish at QoS 1, a window of messages ahead of those that came back, and no faster than
        //    MQTT_PUBLISH_RATE: Serverless refuses what one client sends over 10 per second (see PublishPace).
        //    While the connection is down the client queues what it is given and sends it after the reconnect.
        //    A PUBACK error code fails the future with Mqtt5PubAckException, which ends the run; the code says why:
        //    0x97 (quota exceeded), this client published faster than the deployment allows; 0x87 (not
        //    authorized), the user's ACL does not allow publishing on the topic.
        PublishPace pace = new PublishPace(settings.publishRate());
        for (int i = 1; i <= settings.messages(); i++) {
            roundTrip.awaitRoomToSend();
            pace.awaitTurn();
            int message = i;
            async.publishWith()
                    .topic(settings.topic())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(roundTrip.payload(i))
                    .send()
                    .whenComplete((result, error) -> roundTrip.published(message, error));
        }
        roundTrip.awaitAllAcknowledged();
        // [END publish]
        System.out.println("Published " + settings.messages() + "/" + settings.messages() + " messages to "
                + settings.topic() + " at QoS 1");

        // 7. Wait until every message has come back (each wait ends after 20 s without a new one).
        roundTrip.awaitAllReceived();
        System.out.println("Received " + settings.messages() + "/" + settings.messages() + " messages on "
                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

        // 8. Disconnect with session expiry 0, so the broker drops the session now instead of keeping it for
        //    300 s; this also releases the client's Netty threads, so the JVM can end.
        async.disconnectWith()
                .sessionExpiryInterval(0)
                .send()
                .get(TIMEOUT_SECONDS, SECONDS);
        System.out.println("Disconnected");
    }
}
