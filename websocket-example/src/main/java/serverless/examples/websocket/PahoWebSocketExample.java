package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho (MQTT 3.1.1) over secure WebSocket to EMQX Cloud Serverless (wss://HOST:8084/mqtt):
 * connect, subscribe, publish one message at QoS 1, wait for it to come back, disconnect.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8084),
 * MQTT_WS_PATH (/mqtt), MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID. See README.md.
 */
public final class PahoWebSocketExample {

    private static final int TIMEOUT_SECONDS = 10;

    public static void main(String[] args) {
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("websocket-example");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings == null ? null : settings.host()));
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
        options.setCleanSession(true);

        // MemoryPersistence keeps in-flight QoS 1 messages in memory instead of files in the working folder.
        try (MqttClient client = new MqttClient(serverUri, settings.clientId(), new MemoryPersistence())) {
            client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            client.connect(options);
            System.out.println("Connected with client id " + settings.clientId());

            // 3. Subscribe first, so our own message comes back to us.
            CompletableFuture<String> received = new CompletableFuture<>();
            // subscribe() waits for the SUBACK and throws if the broker refused the subscription (ACL).
            client.subscribe(settings.topic(), 1,
                    (topic, message) -> received.complete(new String(message.getPayload(), UTF_8)));
            System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

            // 4. Publish at QoS 1: publish() returns once the broker has acknowledged it (PUBACK).
            String payload = "Hello from " + settings.clientId();
            client.publish(settings.topic(), payload.getBytes(UTF_8), 1, false);
            System.out.println("Published \"" + payload + "\" to " + settings.topic() + " at QoS 1");

            // 5. Wait, with a bound, for the message to arrive through the subscription.
            String message = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("Received \"" + message + "\" on " + settings.topic());

            client.disconnect();
            System.out.println("Disconnected");
        }
    }
}
