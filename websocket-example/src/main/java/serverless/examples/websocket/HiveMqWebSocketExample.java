package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HiveMQ MQTT Client (MQTT 5, blocking API) over secure WebSocket to EMQX Cloud Serverless: the same
 * steps as {@link PahoWebSocketExample}. Run with:
 * {@code java -cp target/websocket-example.jar serverless.examples.websocket.HiveMqWebSocketExample}
 */
public final class HiveMqWebSocketExample {

    private static final int TIMEOUT_SECONDS = 10;

    public static void main(String[] args) {
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("hivemq-websocket-example");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings == null ? null : settings.host()));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: host, port 8084 and path /mqtt, set one by one below (the client takes no URI).
        System.out.println("Connecting to " + settings.serverUri() + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");

        // [START hivemq_transport]
        // 2. Transport: TLS, then WebSocket, with a bound on every step of connecting.
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(settings.clientId())
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
                .buildBlocking();
        // [END hivemq_transport]

        // 3. Connect with credentials (Serverless has no anonymous access). A refusal (CONNACK reason code
        //    0x86 bad user name or password, 0x87 not authorized) is thrown as Mqtt5ConnAckException.
        client.connectWith()
                .simpleAuth()
                    .username(settings.username())
                    .password(settings.password().getBytes(UTF_8))
                    .applySimpleAuth()
                .cleanStart(true)
                .send();
        System.out.println("Connected with client id " + settings.clientId());

        // 4. Open the stream of incoming messages before subscribing, so our own message cannot be missed;
        //    then subscribe (send() waits for the SUBACK and throws Mqtt5SubAckException on a refusal).
        try (Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            client.subscribeWith().topicFilter(settings.topic()).qos(MqttQos.AT_LEAST_ONCE).send();
            System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

            // 5. Publish at QoS 1: send() returns once the broker has acknowledged it (PUBACK). A refusal in
            //    the PUBACK (e.g. 0x87, the ACL) is not thrown but returned in the result: check it.
            String payload = "Hello from " + settings.clientId();
            Mqtt5PublishResult result = client.publishWith()
                    .topic(settings.topic())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(UTF_8))
                    .send();
            if (result.getError().isPresent()) {
                throw new IllegalStateException("PUBACK refused the message", result.getError().get());
            }
            System.out.println("Published \"" + payload + "\" to " + settings.topic() + " at QoS 1");

            // 6. Wait, with a bound, for the message to arrive through the subscription.
            Mqtt5Publish message = publishes.receive(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .orElseThrow(TimeoutException::new);
            System.out.println("Received \"" + new String(message.getPayloadAsBytes(), UTF_8) + "\" on "
                    + settings.topic());
        }

        client.disconnect();
        System.out.println("Disconnected");
    }
}
