package serverless.examples.paho;

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
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class ReconnectingV5CallbackTest {

    /** As {@link ReconnectingCallbackTest}, with Paho's MQTT 5 client. */
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
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + silent.getLocalPort(), "no-connack-v5",
                    new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            try (ReconnectingV5Callback callback = new ReconnectingV5Callback(client, options, "t",
                    new RoundTrip("no-connack-v5", 1), Duration.ofMillis(300))) {
                client.setCallback(callback);
                callback.disconnected(new MqttDisconnectResponse(new MqttException(32109)) /* connection lost */);

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
