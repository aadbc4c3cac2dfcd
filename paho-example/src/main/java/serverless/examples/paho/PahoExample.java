package serverless.examples.paho;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: connect, subscribe, publish one message
 * at QoS 1, wait for it to come back, disconnect.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883),
 * MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID. See README.md.
 */
public final class PahoExample {

    private static final int TIMEOUT_SECONDS = 10;

    public static void main(String[] args) {
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("paho-example");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings == null ? null : settings.host()));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: "ssl://" means MQTT over TLS. Serverless has no plaintext port.
        String serverUri = "ssl://" + settings.host() + ":" + settings.port();
        System.out.println("Connecting to " + serverUri + " as " + settings.username()
                + " (trust: " + settings.trustDescription() + ")");

        // [START tls_options]
        // 2. Connect options: credentials (Serverless has no anonymous access) and TLS.
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(settings.username());
        options.setPassword(settings.password().toCharArray());
        // Verifies the server's chain against MQTT_CA_FILE, or the JDK's trust store when it is not set.
        options.setSocketFactory(TrustedSocketFactory.create(settings.caFile()));
        // Checks that the certificate is for MQTT_HOST. Paho's default is already on; said here so that
        // nobody copies a version with it off. Paho also sends MQTT_HOST as SNI, which Serverless requires.
        options.setHttpsHostnameVerificationEnabled(true);
        // [END tls_options]
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
