package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import serverless.harness.Broker;
import serverless.harness.CompleteTier;
import serverless.harness.TestBed;
import serverless.harness.TestBedExtension;

/**
 * A load case: 100 Paho clients connect over TLS at once (SNI, host name verification and password, as the
 * examples do), each subscribes to its own topic and exchanges QoS 1 messages with the broker, and all of
 * them succeed. Connect and round-trip times are printed with the test output.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(120)
class LoadIT {

    private static final int CLIENTS = 100;
    private static final int MESSAGES_EACH = 20;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void hundredConcurrentTlsClientsExchangeMessages(Broker broker) throws Exception {
        assumeTrue(broker.has(Broker.Trait.STARTED_BY_THE_SUITE), "the load case runs against a local broker, never a user's deployment");
        SSLSocketFactory sockets = TestTls.trusting(broker.caFile().orElseThrow()).getSocketFactory();
        List<MqttAsyncClient> clients = new ArrayList<>();
        ConcurrentLinkedQueue<Long> connectNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> roundTripNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        CountDownLatch received = new CountDownLatch(CLIENTS * MESSAGES_EACH);
        String run = Long.toHexString(System.nanoTime());
        List<String> clientIds = IntStream.range(0, CLIENTS).mapToObj(i -> "load-" + run + "-" + i).toList();
        // Each client publishes its 20 messages at once, twice Serverless' 10 a second, and its MQTT 3.1.1 client is
        // not told of those dropped for that: this is a load case, not a test of the quota, so it is lifted for them.
        broker.liftPublishRate(clientIds);
        long start = System.nanoTime();
        try {
            for (String clientId : clientIds) {
                MqttAsyncClient client = new MqttAsyncClient("ssl://" + broker.host() + ":" + broker.tlsPort(),
                        clientId, new MemoryPersistence());
                clients.add(client);
                client.setCallback(new MessageTimer(roundTripNanos, received));
                MqttConnectOptions options = new MqttConnectOptions();
                options.setSocketFactory(sockets);
                options.setHttpsHostnameVerificationEnabled(true);
                options.setUserName(broker.username());
                options.setPassword(broker.password().toCharArray());
                options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                options.setMaxInflight(MESSAGES_EACH);
                options.setConnectionTimeout(30);
                long connectStart = System.nanoTime();
                client.connect(options, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        connectNanos.add(System.nanoTime() - connectStart);
                        connected.countDown();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        failures.add(error);
                        connected.countDown();
                    }
                });
            }
            assertTrue(connected.await(BOUND.toSeconds(), TimeUnit.SECONDS), "every client answered within " + BOUND);
            assertEquals(List.of(), List.copyOf(failures), "every client connected");
            long connectedAll = System.nanoTime();

            for (MqttAsyncClient client : clients) {
                String topic = "serverless-examples/load/" + client.getClientId();
                client.subscribe(topic, 1).waitForCompletion(BOUND.toMillis());
                for (int m = 0; m < MESSAGES_EACH; m++) {
                    // The payload carries its send time, so the receiver can time the round trip.
                    client.publish(topic, String.valueOf(System.nanoTime()).getBytes(StandardCharsets.UTF_8), 1, false);
                }
            }
            assertTrue(received.await(BOUND.toSeconds(), TimeUnit.SECONDS),
                    () -> received.getCount() + " of " + CLIENTS * MESSAGES_EACH + " messages did not come back within " + BOUND);
            long done = System.nanoTime();

            System.out.printf("[harness] load: %d TLS clients connected at once in %d ms (connect p50 %d ms, p95 %d ms, max %d ms);"
                            + " %d QoS 1 messages round trip p50 %d ms, p95 %d ms, max %d ms; %d ms in all%n",
                    CLIENTS, millis(connectedAll - start), percentile(connectNanos, 50), percentile(connectNanos, 95),
                    percentile(connectNanos, 100), CLIENTS * MESSAGES_EACH, percentile(roundTripNanos, 50),
                    percentile(roundTripNanos, 95), percentile(roundTripNanos, 100), millis(done - start));
        } finally {
            for (MqttAsyncClient client : clients) {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(5_000);
                }
                client.close();
            }
        }
    }

    private static long percentile(ConcurrentLinkedQueue<Long> nanos, int percent) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return millis(sorted.get(index));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Counts each message that comes back and how long it took since its payload's send time. */
    private record MessageTimer(ConcurrentLinkedQueue<Long> roundTripNanos, CountDownLatch received)
            implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            roundTripNanos.add(System.nanoTime() - Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8)));
            received.countDown();
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
