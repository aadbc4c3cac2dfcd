package serverless.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;

/**
 * The HiveMQ MQTT client, MQTT 5, over TLS or secure WebSocket. Netty underneath, with TCP_NODELAY on by default
 * (Netty's choice for every socket); the client keeps the broker's Receive Maximum by itself, queueing beyond it.
 */
final class HiveMqV5Client implements BenchClient {

    private final Target target;
    private final MqttClientTransportConfig transport;

    HiveMqV5Client(Target target, Transport transport) throws Exception {
        this.target = target;
        this.transport = HiveMqTransport.config(target, transport);
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder()
                .identifier(clientId)
                .transportConfig(transport)
                .simpleAuth()
                    .username(target.username())
                    .password(target.password().getBytes(UTF_8))
                    .applySimpleAuth()
                .addDisconnectedListener(HiveMqTransport.failOnDrop(deliveries))
                .buildAsync();
        client.connectWith().cleanStart(true).send().get(HiveMqTransport.TIMEOUT_SECONDS, SECONDS);
        return new BenchConnection() {
            @Override
            public void subscribe(String topic, int qos) throws Exception {
                // A refused subscription fails the future (Mqtt5SubAckException).
                Mqtt5SubAck subAck = client.subscribeWith()
                        .topicFilter(topic)
                        .qos(MqttQos.fromCode(qos))
                        .callback(message -> deliveries.received(message.getPayloadAsBytes()))
                        .send()
                        .get(HiveMqTransport.TIMEOUT_SECONDS, SECONDS);
                subAck.getReasonCodes();
            }

            @Override
            public void publish(String topic, byte[] payload, int qos) {
                client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                        .whenComplete((result, error) -> {
                            if (error != null || result.getError().isPresent()) {
                                // e.g. PUBACK 0x97, the broker's publish quota
                                deliveries.failed(error != null ? error : result.getError().get());
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
