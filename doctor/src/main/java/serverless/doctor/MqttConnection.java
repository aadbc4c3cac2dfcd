package serverless.doctor;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT 5 connection with Eclipse Paho, the known-good client: over ssl:// or wss://, with the same
 * trust as the TLS step, host name verification on and MQTT_HOST sent as SNI (Paho does both). Every wait
 * is bounded by {@link #TIMEOUT}.
 */
final class MqttConnection implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String uri;
    private final MqttAsyncClient client;
    private final CompletableFuture<Arrival> received = new CompletableFuture<>();

    /** A message that came back: its payload, and when (System.nanoTime). */
    record Arrival(String payload, long nanoTime) {
    }

    private MqttConnection(String uri, MqttAsyncClient client) {
        this.uri = uri;
        this.client = client;
    }

    /** Connects and waits for the CONNACK; a refusal throws Paho's MqttException with the reason code. */
    static MqttConnection open(String uri, String clientId, Settings settings, SSLSocketFactory sockets)
            throws MqttException {
        MqttConnection connection = new MqttConnection(uri, new MqttAsyncClient(uri, clientId, new MemoryPersistence()));
        connection.client.setCallback(connection.new Receiver());
        MqttConnectionOptions options = new MqttConnectionOptions();
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(password -> options.setPassword(password.getBytes(UTF_8)));
        options.setSocketFactory(sockets);
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout((int) TIMEOUT.toSeconds());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        try {
            connection.client.connect(options).waitForCompletion(TIMEOUT.toMillis());
        } catch (MqttException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    String uri() {
        return uri;
    }

    /** Subscribes at QoS 1 and returns the SUBACK's reason code (0x01 granted; 0x80 and up refused). */
    int subscribe(String topic) throws MqttException {
        IMqttToken token = client.subscribe(topic, 1);
        token.waitForCompletion(TIMEOUT.toMillis());
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0x80 : codes[0];
    }

    /** Publishes at QoS 1, waits for the PUBACK and returns its reason code (0x00, or 0x10 no subscribers). */
    int publish(String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(UTF_8));
        message.setQos(1);
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(TIMEOUT.toMillis());
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0x00 : codes[0];
    }

    /** Completes with the first message that arrives (the doctor subscribes to one unique topic). */
    CompletableFuture<Arrival> received() {
        return received;
    }

    /** Disconnects politely if connected, bounded; never throws. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(2000);
            }
        } catch (MqttException | RuntimeException e) {
            // closing below anyway
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // the JVM ends right after the report
        }
    }

    /** Paho ties per-subscription listeners to subscription identifiers; the client callback works everywhere. */
    private final class Receiver implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.complete(new Arrival(new String(message.getPayload(), UTF_8), System.nanoTime()));
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
