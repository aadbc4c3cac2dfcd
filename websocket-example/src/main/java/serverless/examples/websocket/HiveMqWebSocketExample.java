package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ MQTT Client (MQTT 5, blocking API) over secure WebSocket to EMQX Cloud Serverless: the same
 * steps as {@link PahoWebSocketExample}, surviving a dropped connection the same way. Run with:
 * {@code java -cp target/websocket-example.jar serverless.examples.websocket.HiveMqWebSocketExample}
 */
public final class HiveMqWebSocketExample {

    private static final int TIMEOUT_SECONDS = 10;
    /** At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time. */
    private static final int WINDOW = 100;
    /** How long the broker keeps the session (subscription and queued messages) while the client is away. */
    private static final long SESSION_EXPIRY_SECONDS = 300;

    public static void main(String[] args) {
        // Netty 4.1, the client's network layer, calls sun.misc.Unsafe as soon as it starts, and Java 24 and later
        // print four "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called" lines for that
        // (JEP 498). Netty's own switch, io.netty.noUnsafe, keeps it off Unsafe (as Netty 4.2 does by itself on
        // Java 25+), at no measurable cost here. It must be set before any Netty class loads, so first thing.
        // Java 17 keeps Netty's default, and so does a JVM started with its own -Dio.netty.noUnsafe.
        if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("hivemq-ws");
            run(settings);
        } catch (Exception e) {
            // System.exit also ends the client's Netty threads when the failure came after connecting.
            System.exit(Failures.report(e, settings));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: host, port 8084 and path /mqtt, set one by one below (the client takes no URI).
        System.out.println("Connecting to " + settings.serverUri() + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");

        // [START hivemq_transport]
        // 2. Transport: TLS, then WebSocket, with a bound on every step of connecting; and reconnecting.
        ReconnectListener reconnects = new ReconnectListener();
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(settings.clientId())
                // Credentials (Serverless has no anonymous access) on the client, NOT in connectWith(): the
                // automatic reconnect sends the client's, and would reconnect without a password otherwise.
                .simpleAuth()
                    .username(settings.username())
                    .password(settings.password().getBytes(UTF_8))
                    .applySimpleAuth()
                .transportConfig()
                    .serverHost(settings.host())
                    .serverPort(settings.port())
                    // Verifies the server's chain against MQTT_CA_FILE, or the JDK's trust store. Without a
                    // hostnameVerifier the client checks that the certificate is for MQTT_HOST (HTTPS rules)
                    // and sends MQTT_HOST as SNI, which Serverless requires: leave both as they are.
                    .sslConfig()
                        .trustManagerFactory(TrustedSocketFactory.trustManagerFactory(settings.caFile()))
                        .handshakeTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .applySslConfig()
                    // The WebSocket path. The client's default is EMPTY: without serverPath() it sends "GET /"
                    // and EMQX answers HTTP 404. serverPath takes the path without its leading slash ("mqtt")
                    // and puts the "/" in front itself (1.4.2 strips a leading "/", so "/mqtt" works too).
                    .webSocketConfig()
                        .serverPath(settings.webSocketPath().substring(1))
                        .handshakeTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .applyWebSocketConfig()
                    .socketConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .mqttConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .applyTransportConfig()
                // 3. After a drop, reconnect by itself: 1 s later, then at most every 4 s (a restarting deployment
                //    is back within seconds; the client's default maximum is 2 minutes). ReconnectListener prints
                //    the drops and reconnects, and keeps the FIRST connect from being retried (see there).
                .automaticReconnect()
                    .initialDelay(1, TimeUnit.SECONDS)
                    .maxDelay(4, TimeUnit.SECONDS)
                    .applyAutomaticReconnect()
                .addConnectedListener(reconnects)
                .addDisconnectedListener(reconnects)
                .buildBlocking();
        // [END hivemq_transport]

        // [START hivemq_session]
        // 4. Connect, with a session that outlives the connection: while the client is away the broker keeps its
        //    subscription and queues its QoS 1 messages, for up to 300 s. A refusal (CONNACK 0x86 bad user name
        //    or password, 0x87 not authorized) is thrown as Mqtt5ConnAckException.
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .send();
        // [END hivemq_session]
        System.out.println("Connected with client id " + settings.clientId());

        // The blocking client's subscribe() and publish() wait without a time limit, one message at a time;
        // the same client's async view returns futures, for a bounded wait and many messages on their way.
        Mqtt5AsyncClient async = client.toAsync();
        RoundTrip roundTrip = new RoundTrip(settings.clientId(), settings.messages());

        // 5. Subscribe at QoS 1, with the callback that takes this subscription's messages: it is in place before
        //    the broker can send any. A SUBACK error code (the ACL, or Serverless' subscription quota) fails with
        //    Mqtt5SubAckException.
        async.subscribeWith()
                .topicFilter(settings.topic())
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(message -> roundTrip.received(new String(message.getPayloadAsBytes(), UTF_8)))
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // [START hivemq_publish_loop]
        // 6. Publish at QoS 1 without waiting for each PUBACK, but with at most WINDOW messages unfinished, and at
        //    most MQTT_PUBLISH_RATE messages per second. Each future completes with the PUBACK, or fails with its
        //    error code (Mqtt5PubAckException): 0x87 is the ACL, 0x97 (quota exceeded) is Serverless' answer to
        //    more than 10 messages per second from one client; either ends the run at once. While the connection
        //    is down, the client keeps what it is given and sends it after the reconnect.
        PublishPace pace = new PublishPace(settings.publishRate());
        // Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
        int window = RoundTrip.window(WINDOW, settings.publishRate());
        for (int i = 1; i <= settings.messages(); i++) {
            roundTrip.awaitRoom(window);
            pace.awaitTurn();
            int number = i;
            async.publishWith()
                    .topic(settings.topic())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(roundTrip.payload(i).getBytes(UTF_8))
                    .send()
                    .whenComplete((result, error) -> {
                        if (error == null) {
                            roundTrip.acknowledged(number);
                        } else {
                            roundTrip.failed(number, error);
                        }
                    });
        }
        // [END hivemq_publish_loop]
        roundTrip.awaitAllAcknowledged();
        System.out.println("Published " + settings.messages() + "/" + settings.messages() + " messages to "
                + settings.topic() + " at QoS 1");

        // 7. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
        roundTrip.awaitAllReceived();
        System.out.println("Received " + settings.messages() + "/" + settings.messages() + " messages on "
                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

        // 8. Disconnect with session expiry 0, so the broker drops the session now instead of keeping it for
        //    300 s; this also releases the client's Netty threads, so the JVM can end.
        async.disconnectWith()
                .sessionExpiryInterval(0)
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("Disconnected");
    }
}
