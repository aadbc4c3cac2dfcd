package serverless.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Vert.x MQTT client (MQTT 3.1.1; it has no WebSocket transport), on one Vert.x instance for all its
 * connections, as an application has. This is also what Quarkus' example runs on (the smallrye-mqtt connector).
 * TCP_NODELAY is Vert.x's default for client sockets.
 */
final class VertxClient implements BenchClient {

    private static final int TIMEOUT_SECONDS = 10;
    private static final Logger VERTX_LOG = quiet("io.vertx");
    private static final Logger NETTY_LOG = quiet("io.netty");

    private final Target target;
    private final int window;
    private final Vertx vertx;

    VertxClient(Target target, int window) {
        this.target = target;
        this.window = window;
        // The JVM's resolver (and so its hosts file), not Vert.x's own DNS client, as in vertx-example.
        System.setProperty("vertx.disableDnsResolver", "true");
        this.vertx = Vertx.vertx();
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setUsername(target.username())
                .setPassword(target.password())
                .setSsl(true)
                // Host name verification: Vert.x 5 refuses a TLS client without an algorithm. Never trust-all.
                .setHostnameVerificationAlgorithm("HTTPS")
                .setCleanSession(true)
                // vertx-mqtt refuses a publish beyond 10 unacknowledged by default: raised to the window.
                .setMaxInflightQueue(window);
        options.setConnectTimeout(TIMEOUT_SECONDS * 1000);
        target.caFile().ifPresent(file -> options.setTrustOptions(new PemTrustOptions().addCertPath(file.toString())));
        MqttClient client = MqttClient.create(vertx, options);
        CompletableFuture<Integer> subAck = new CompletableFuture<>();
        client.publishHandler(message -> deliveries.received(message.payload().getBytes()));
        client.publishCompletionHandler(packetId -> deliveries.acknowledged()); // QoS 1 PUBACKs only
        client.subscribeCompletionHandler(ack -> subAck.complete(ack.grantedQoSLevels().get(0)));
        client.exceptionHandler(deliveries::failed);
        // A refused CONNACK fails the future (MqttConnectionException).
        await(client.connect(target.tlsPort(), target.host()));
        client.closeHandler(closed -> deliveries.failed(new IllegalStateException("connection closed")));
        return new BenchConnection() {
            @Override
            public void subscribe(String topic, int qos) throws Exception {
                client.subscribe(topic, qos);
                if (subAck.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) == 0x80) {
                    throw new IllegalStateException("SUBACK refused the subscription to " + topic);
                }
            }

            @Override
            public void publish(String topic, byte[] payload, int qos) {
                client.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(qos), false, false)
                        .onFailure(deliveries::failed);
            }

            @Override
            public void close() throws Exception {
                client.closeHandler(null);
                await(client.disconnect());
            }
        };
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }

    /** Not Future.await(): vertx-mqtt's exceptions extend Throwable, not Exception (see vertx-example). */
    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }
}
