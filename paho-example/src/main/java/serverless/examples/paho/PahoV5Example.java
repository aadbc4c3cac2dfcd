package serverless.examples.paho;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Eclipse Paho (MQTT 5) over TLS to EMQX Cloud Serverless: the same steps as {@link PahoExample} with
 * Paho's MQTT 5 client. Run with: {@code java -cp target/paho-example.jar serverless.examples.paho.PahoV5Example}
 */
public final class PahoV5Example {

    private static final int TIMEOUT_SECONDS = 10;

    public static void main(String[] args) {
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("paho-v5-example");
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
        options.setCleanStart(true);

        // Paho's MQTT 5 client is not AutoCloseable: it is closed after the disconnect at the end. On a
        // failure main() reports the error and ends the JVM, which ends the client's threads with it.
        MqttClient client = new MqttClient(serverUri, settings.clientId(), new MemoryPersistence());
        client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        // Paho's MQTT 5 client ties per-subscription listeners to subscription identifiers
        // (eclipse-paho/paho.mqtt.java#445); the client callback works with every broker, so it is used here.
        CompletableFuture<String> received = new CompletableFuture<>();
        client.setCallback(new ReceiveCallback(received));
        client.connect(options);
        System.out.println("Connected with client id " + settings.clientId());

        // 3. Subscribe first, so our own message comes back to us. A SUBACK reason code of 0x80 or above
        //    is a refusal (usually the ACL), which Paho's MQTT 5 client does not turn into an exception.
        IMqttToken subscription = client.subscribe(settings.topic(), 1);
        if (subscription.getReasonCodes()[0] >= 0x80) {
            throw new MqttException(Failures.SUBSCRIPTION_REFUSED);
        }
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // 4. Publish at QoS 1: publish() returns once the broker has acknowledged it (PUBACK).
        String payload = "Hello from " + settings.clientId();
        MqttMessage message = new MqttMessage(payload.getBytes(UTF_8));
        message.setQos(1);
        client.publish(settings.topic(), message);
        System.out.println("Published \"" + payload + "\" to " + settings.topic() + " at QoS 1");

        // 5. Wait, with a bound, for the message to arrive through the subscription.
        String text = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("Received \"" + text + "\" on " + settings.topic());

        client.disconnect();
        client.close();
        System.out.println("Disconnected");
    }

    /** Completes the future with the first message; the other callbacks have nothing to do here. */
    private record ReceiveCallback(CompletableFuture<String> received) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.complete(new String(message.getPayload(), UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonId, MqttProperties properties) {
        }
    }
}
