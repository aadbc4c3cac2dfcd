package serverless.bench;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho's MQTT 3.1.1 client, over TLS ({@code ssl://}) or secure WebSocket ({@code wss://}). */
final class PahoV3Client implements BenchClient {

    private static final int TIMEOUT_MILLIS = 10_000;
    /** Paho logs through java.util.logging; held in a field: java.util.logging keeps loggers only weakly. */
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    private final Target target;
    private final Transport transport;
    private final MqttConnectOptions options = new MqttConnectOptions();

    PahoV3Client(Target target, Transport transport, int window) throws Exception {
        PAHO_LOG.setLevel(Level.OFF);
        this.target = target;
        this.transport = transport;
        options.setUserName(target.username());
        options.setPassword(target.password().toCharArray());
        // The examples' socket factory: the CA file's trust, and TCP_NODELAY, which Paho never sets itself.
        options.setSocketFactory(new NoDelaySocketFactory(ServerTrust.context(target.caFile()).getSocketFactory()));
        // Host name verification (Paho's default; kept on explicitly). Paho sends the host as SNI.
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(TIMEOUT_MILLIS / 1000);
        options.setCleanSession(true);
        // Paho allows 10 unacknowledged PUBLISHes by default and throws beyond: raised to the window.
        options.setMaxInflight(window);
        options.setAutomaticReconnect(false);
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(target.uri(transport), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                deliveries.failed(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                deliveries.received(message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Paho calls this for QoS 0 too (once written); only QoS 1 PUBLISHes carry a context.
                if (token.getUserContext() != null) {
                    deliveries.acknowledged();
                }
            }
        });
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return new BenchConnection() {
            @Override
            public void subscribe(String topic, int qos) throws MqttException {
                IMqttToken token = client.subscribe(topic, qos);
                token.waitForCompletion(TIMEOUT_MILLIS);
                if (token.getGrantedQos()[0] == 0x80) {
                    throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
                }
            }

            @Override
            public void publish(String topic, byte[] payload, int qos) throws MqttException {
                client.publish(topic, payload, qos, false, qos > 0 ? Boolean.TRUE : null, null);
            }

            @Override
            public void close() throws MqttException {
                client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
                client.close();
            }
        };
    }
}
