package serverless.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.logging.Level;
import java.util.logging.Logger;
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
 * Eclipse Paho's MQTT 5 client, over TLS or secure WebSocket. This is also what Spring Boot's example runs on
 * (Spring Integration's MQTT 5 adapters wrap this client).
 */
final class PahoV5Client implements BenchClient {

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    private final Target target;
    private final Transport transport;
    private final MqttConnectionOptions options = new MqttConnectionOptions();

    PahoV5Client(Target target, Transport transport) throws Exception {
        PAHO_LOG.setLevel(Level.OFF);
        this.target = target;
        this.transport = transport;
        options.setUserName(target.username());
        options.setPassword(target.password().getBytes(UTF_8));
        // TCP_NODELAY matters most here: with Nagle on, paho-example measured 10.7 s instead of 0.7 s.
        options.setSocketFactory(new NoDelaySocketFactory(ServerTrust.context(target.caFile()).getSocketFactory()));
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(TIMEOUT_MILLIS / 1000);
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(target.uri(transport), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                deliveries.failed(response.getException() != null ? response.getException()
                        : new IllegalStateException("disconnected by the broker: " + response.getReasonString()));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                deliveries.failed(exception);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                deliveries.received(message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                if (token.getUserContext() == null) {
                    return; // QoS 0
                }
                int[] reasons = token.getReasonCodes();
                if (reasons != null && reasons.length > 0 && reasons[0] >= 0x80) {
                    // 0x97: the broker's publish quota (Serverless: 10 a second per client).
                    deliveries.failed(new IllegalStateException("PUBACK refused a message: reason code 0x"
                            + Integer.toHexString(reasons[0])));
                } else {
                    deliveries.acknowledged();
                }
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        IMqttToken connect;
        try {
            connect = client.connect(options);
            connect.waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        // Paho's MQTT 5 client throws rather than wait beyond the broker's Receive Maximum (null: 65,535).
        Integer receiveMaximum = connect.getResponseProperties().getReceiveMaximum();
        return new BenchConnection() {
            @Override
            public void subscribe(String topic, int qos) throws MqttException {
                IMqttToken token = client.subscribe(topic, qos);
                token.waitForCompletion(TIMEOUT_MILLIS);
                if (token.getReasonCodes()[0] >= 0x80) {
                    throw new IllegalStateException("SUBACK refused the subscription: reason code 0x"
                            + Integer.toHexString(token.getReasonCodes()[0]));
                }
            }

            @Override
            public void publish(String topic, byte[] payload, int qos) throws MqttException {
                client.publish(topic, payload, qos, false, qos > 0 ? Boolean.TRUE : null, null);
            }

            @Override
            public int sendLimit() {
                return receiveMaximum == null ? 65_535 : receiveMaximum;
            }

            @Override
            public void close() throws MqttException {
                client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
                client.close();
            }
        };
    }
}
