package serverless.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;

/** The HiveMQ MQTT client, MQTT 3.1.1, over TLS or secure WebSocket: the same client as {@link HiveMqV5Client}. */
final class HiveMqV3Client implements BenchClient {

    private final Target target;
    private final MqttClientTransportConfig transport;

    HiveMqV3Client(Target target, Transport transport) throws Exception {
        this.target = target;
        this.transport = HiveMqTransport.config(target, transport);
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        Mqtt3AsyncClient client = Mqtt3Client.builder()
                .identifier(clientId)
                .transportConfig(transport)
                .simpleAuth()
                    .username(target.username())
                    .password(target.password().getBytes(UTF_8))
                    .applySimpleAuth()
                .addDisconnectedListener(HiveMqTransport.failOnDrop(deliveries))
                .buildAsync();
        client.connectWith().cleanSession(true).send().get(HiveMqTransport.TIMEOUT_SECONDS, SECONDS);
        return new BenchConnection() {
            @Override
            public void subscribe(String topic, int qos) throws Exception {
                client.subscribeWith()
                        .topicFilter(topic)
                        .qos(MqttQos.fromCode(qos))
                        .callback(message -> deliveries.received(message.getPayloadAsBytes()))
                        .send()
                        .get(HiveMqTransport.TIMEOUT_SECONDS, SECONDS);
            }

            @Override
            public void publish(String topic, byte[] payload, int qos) {
                client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                        .whenComplete((result, error) -> {
                            if (error != null) {
                                deliveries.failed(error);
                            } else if (qos > 0) {
                                deliveries.acknowledged();
                            }
                        });
            }

            @Override
            public void close() throws Exception {
                client.disconnect().get(HiveMqTransport.TIMEOUT_SECONDS, SECONDS);
            }
        };
    }
}
