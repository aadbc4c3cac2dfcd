package serverless.examples.hivemq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ MQTT Client (MQTT 5, blocking API) over TLS to EMQX Cloud Serverless: connect, subscribe, publish
 * one message at QoS 1, wait for it to come back, disconnect.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883),
 * MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID. See README.md.
 */
public final class HiveMqExample {

    private static final int TIMEOUT_SECONDS = 10;

    public static void main(String[] args) {
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("hivemq-example");
            run(settings);
        } catch (Exception e) {
            // System.exit also ends the client's Netty threads when the failure came after connecting.
            System.exit(Failures.report(e, settings == null ? null : settings.host()));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: MQTT over TLS (sslConfig() below); Serverless has no plaintext port.
        System.out.println("Connecting to ssl://" + settings.host() + ":" + settings.port() + " as "
                + settings.username() + " (trust: " + settings.trustDescription() + ")");

        // [START tls_options]
        // 2. The client: address, TLS and a time limit for each step of connecting.
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
                // No automaticReconnect(): with it, a refused connect is retried in the background and
                // connect() blocks instead of throwing the reason.
                .buildBlocking();
        // [END tls_options]

        // 3. Connect with the user's credentials (Serverless has no anonymous access). A refusal throws
        //    Mqtt5ConnAckException; the time limits above bound the TCP connect, TLS handshake and CONNACK.
        client.connectWith()
                .simpleAuth()
                    .username(settings.username())
                    .password(settings.password().getBytes(UTF_8))
                    .applySimpleAuth()
                .cleanStart(true)
                .send();
        System.out.println("Connected with client id " + settings.clientId());

        // 4. Open the stream of incoming messages before subscribing, so that nothing can arrive unseen.
        try (Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            // The blocking client's subscribe() and publish() wait without a time limit; the same client's
            // async view returns futures, which are awaited for at most TIMEOUT_SECONDS.
            Mqtt5AsyncClient async = client.toAsync();

            // 5. Subscribe at QoS 1. A SUBACK error code (usually the ACL) fails with Mqtt5SubAckException.
            async.subscribeWith()
                    .topicFilter(settings.topic())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(TIMEOUT_SECONDS, SECONDS);
            System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

            // 6. Publish at QoS 1: done once the broker acknowledged it (PUBACK); an error code fails it.
            String payload = "Hello from " + settings.clientId();
            async.publishWith()
                    .topic(settings.topic())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(UTF_8))
                    .send()
                    .get(TIMEOUT_SECONDS, SECONDS);
            System.out.println("Published \"" + payload + "\" to " + settings.topic() + " at QoS 1");

            // 7. Wait, with a bound, for the message to arrive through the subscription.
            Mqtt5Publish message = publishes.receive(TIMEOUT_SECONDS, SECONDS)
                    .orElseThrow(() -> new TimeoutException("no message within " + TIMEOUT_SECONDS + " s"));
            System.out.println("Received \"" + new String(message.getPayloadAsBytes(), UTF_8) + "\" on "
                    + message.getTopic());
        }

        // 8. Disconnect: sends DISCONNECT and releases the client's Netty threads, so the JVM can end.
        client.disconnect();
        System.out.println("Disconnected");
    }
}
