package serverless.examples.hivemq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;

/**
 * HiveMQ MQTT Client (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: the same steps as {@link HiveMqExample}
 * with the client's MQTT 3.1.1 interface, whose persistent session is {@code cleanSession(false)}. Run with:
 * {@code java -cp target/hivemq-example.jar serverless.examples.hivemq.HiveMqV3Example}
 */
public final class HiveMqV3Example {

    private static final int TIMEOUT_SECONDS = 10;
    /** The broker keeps at most 1000 messages per session (EMQX and HiveMQ): stay well below. */
    private static final int MAX_IN_FLIGHT = 100;

    public static void main(String[] args) {
        // Before the client loads Netty: no "sun.misc.Unsafe" warnings on Java 24+ (see NettyUnsafe).
        NettyUnsafe.avoidOnJava24AndNewer();
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("hivemq-v3");
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
        Mqtt3BlockingClient client = Mqtt3Client.builder()
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
        // 4. Connect. cleanSession(false): the broker keeps the subscription and the undelivered messages while
        //    the client reconnects (MQTT 3.1.1 has no session expiry: the broker's own limit applies). A refusal
        //    throws Mqtt3ConnAckException; the time limits above bound the TCP connect, TLS handshake and CONNACK.
        client.connectWith()
                .cleanSession(false)
                .send();
        // [END session]
        System.out.println("Connected with client id " + settings.clientId());

        // The blocking client's subscribe() and publish() wait without a time limit; the same client's async
        // view returns futures, so every wait here has a bound.
        Mqtt3AsyncClient async = client.toAsync();
        // At most MAX_IN_FLIGHT messages on their way, and with pacing half a second's worth, so that what
        // the client sends again at once after a reconnect, and the next, stay within the broker's rate (see
        // RoundTrip.window).
        RoundTrip roundTrip = new RoundTrip(settings.clientId(), settings.messages(),
                RoundTrip.window(MAX_IN_FLIGHT, settings.publishRate()));

        // 5. Subscribe at QoS 1, with the callback that takes this subscription's messages: it is in place before
        //    the broker can send any. A SUBACK error code (the ACL, or Serverless' subscription quota) fails
        //    with Mqtt3SubAckException.
        async.subscribeWith()
                .topicFilter(settings.topic())
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(message -> roundTrip.received(message.getPayloadAsBytes()))
                .send()
                .get(TIMEOUT_SECONDS, SECONDS);
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // [START publish]
        // 6. Publish at QoS 1, a window of messages ahead of those that came back, and no faster than
        //    MQTT_PUBLISH_RATE: Serverless drops what one client sends over 10 per second (see PublishPace).
        //    While the connection is down the client queues what it is given and sends it after the reconnect.
        //    (MQTT 3.1.1 has no PUBACK error codes: a broker that refuses a message closes the connection or
        //    acknowledges and drops it, as Serverless does over the rate; it then does not come back.)
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

        // 8. Unsubscribe, then disconnect. MQTT 3.1.1 cannot end the session on DISCONNECT: the broker keeps it
        //    until its own session expiry, but without the subscription it collects no messages. Unsubscribing
        //    also ends the callback's flow: while that is open, the client's Netty thread keeps the JVM alive.
        async.unsubscribeWith()
                .topicFilter(settings.topic())
                .send()
                .get(TIMEOUT_SECONDS, SECONDS);
        async.disconnect().get(TIMEOUT_SECONDS, SECONDS);
        System.out.println("Disconnected");
    }
}
