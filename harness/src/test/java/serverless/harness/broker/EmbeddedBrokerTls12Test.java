package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import serverless.harness.pki.TestPki;

/**
 * A broker limited to TLS 1.2 stays so on its WebSocket port, where the front terminates TLS itself. A class of
 * its own: only one embedded HiveMQ may run in a JVM at a time, and {@link EmbeddedBrokerTest}'s is stopped
 * after that class (surefire runs the classes one after the other).
 */
@Timeout(20)
class EmbeddedBrokerTls12Test {

    private static final String HOST = "deployment.emqxsl.test";
    private static final String USER = "tls12-user";
    private static final String PASSWORD = "secret-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    static Path ca;
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        TestPki pki = TestPki.generate(dir, HOST);
        ca = pki.caCertificate();
        broker = EmbeddedBroker.start(pki, HOST, Map.of(USER, PASSWORD), List.of("TLSv1.2"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWebSocketClientOfferingTls13And12AgreesOnTls12AndTheBrokerRecordsIt() throws Exception {
        String clientId = "wss-tls12-" + UUID.randomUUID().toString().substring(0, 8);
        MqttClient client = new MqttClient("wss://" + HOST + ":" + broker.wssPort() + "/mqtt", clientId,
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setSocketFactory(TestTls.trusting(ca).getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(5);
        options.setUserName(USER);
        options.setPassword(PASSWORD.toCharArray());
        try {
            client.connect(options);
            client.disconnect(2_000);
        } finally {
            client.close(true);
        }
        ConnectionRecord connection = broker.connections().stream().filter(c -> c.clientId().equals(clientId))
                .findFirst().orElseThrow(() -> new AssertionError("no CONNECT in " + broker.connections()));
        assertEquals("TLSv1.2", connection.tlsProtocol());
        assertEquals(HOST, connection.sniHostname());
        assertEquals(Transport.WEBSOCKET, connection.transport());
    }

    @Test
    void aTls13OnlyClientIsRefusedOnBothPorts() {
        for (int port : new int[] {broker.tlsPort(), broker.wssPort()}) {
            IOException refused = assertThrows(IOException.class,
                    () -> TestTls.handshake(ca, HOST, port, null, true, List.of("TLSv1.3")).close());
            assertTrue(TestTls.cause(refused, SSLException.class).isPresent(), TestTls.chain(refused));
        }
    }
}
