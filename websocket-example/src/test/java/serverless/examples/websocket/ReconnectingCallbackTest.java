package serverless.examples.websocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class ReconnectingCallbackTest {

    /**
     * A server that accepts the connection and never answers the CONNECT, as one that is restarting may: Paho would
     * wait for that CONNACK for ever (eclipse-paho/paho.mqtt.java#511), and no second attempt would follow.
     */
    @Test
    void aReconnectThatGetsNoConnackIsDroppedAndTriedAgain() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch twoAttempts = new CountDownLatch(2);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // kept open, never answered
                        twoAttempts.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + silent.getLocalPort(), "no-connack",
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(false);
            try (ReconnectingCallback callback = new ReconnectingCallback(client, options, "t",
                    new RoundTrip("no-connack", 1), Duration.ofMillis(300), new Backoff(Duration.ofMillis(100)))) {
                client.setCallback(callback);
                callback.connectionLost(new IOException("dropped")); // as Paho reports a dropped connection

                // The first attempt (0.1 s after the drop) gets no CONNACK; the second follows only if it was given up.
                assertTrue(twoAttempts.await(10, TimeUnit.SECONDS),
                        "a second attempt after the unanswered one; attempts: " + accepted.size());
            } finally {
                try {
                    client.disconnectForcibly(0, 0, false);
                    client.close(true);
                } catch (MqttException e) {
                    // the client is being thrown away
                }
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}
