package serverless.harness.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import serverless.harness.LocalDeployment;
import serverless.harness.TestBed;

/**
 * The run's one local broker as its own tests meet it, with a plain client: its user and password, the CA that
 * signed its certificate, and Paho clients (MQTT 3.1.1 over TLS, host name verified) and {@link RawMqtt} ones made
 * for it. One per test class, from {@link #of(TestBed)}; it never changes.
 *
 * <p>The tests reach the broker by its name, which the test JVM resolves through the hosts file in src/test/resources
 * (failsafe's argLine): not against your own deployment ({@code -Dbroker=external}), where it resolves names through
 * DNS, so they are skipped there.
 */
final class LocalBrokerFixture {

    /** The deployment's name: its SNI, and the name its certificate must have. */
    static final String HOST = LocalDeployment.HOST;
    /** How long a test waits for what the broker does on its own (a message, a refusal recorded). */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final LocalBroker broker;
    private final String user;
    private final String password;
    private final Path ca;
    private final SSLContext tls;

    private LocalBrokerFixture(LocalBroker broker, String user, String password, Path ca) throws IOException,
            GeneralSecurityException {
        this.broker = broker;
        this.user = user;
        this.password = password;
        this.ca = ca;
        this.tls = TestTls.trusting(ca);
    }

    /** Why the broker's own tests cannot run in this run, if they cannot. */
    static Optional<String> unavailableReason() {
        return "external".equals(System.getProperty("broker"))
                ? Optional.of("the local broker's own tests resolve its test names, which the test JVM cannot"
                        + " while it resolves your deployment through DNS")
                : Optional.empty();
    }

    /** The run's local broker, started on first use; skips the calling test where it cannot be reached by name. */
    static LocalBrokerFixture of(TestBed bed) throws IOException, GeneralSecurityException {
        unavailableReason().ifPresent(Assumptions::abort);
        var local = bed.localDeployment();
        return new LocalBrokerFixture(local.broker(), local.username(), local.password(), bed.pki().caCertificate());
    }

    LocalBroker broker() {
        return broker;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The CA file that signed the broker's certificate: what a client trusts. */
    Path ca() {
        return ca;
    }

    /** A Paho client for the broker's TLS port, not yet connected. */
    MqttClient client(String clientId) {
        return client("ssl://" + HOST + ":" + broker.tlsPort(), clientId);
    }

    /** A Paho client for {@code uri} (another name, port or scheme), not yet connected. */
    static MqttClient client(String uri, String clientId) {
        try {
            return new MqttClient(uri, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The broker's user and password, over TLS with the broker's CA trusted and its name verified. */
    MqttConnectOptions options() {
        return options(user, password);
    }

    /** Like {@link #options()} with these credentials; either may be null, to leave it out of the CONNECT. */
    MqttConnectOptions options(String user, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no fallback to 3.1: one CONNECT per try
        options.setSocketFactory(tls.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        if (user != null) {
            options.setUserName(user);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    /** {@link #options()}, for a persistent session (MQTT 3.1.1 clean session off). */
    MqttConnectOptions persistent() {
        MqttConnectOptions options = options();
        options.setCleanSession(false);
        return options;
    }

    /** A bare MQTT client of {@code version} ({@link RawMqtt#V3_1_1}, {@link RawMqtt#V5}) on the broker's TLS port. */
    RawMqtt rawMqtt(int version) throws IOException, GeneralSecurityException {
        return RawMqtt.open(ca, HOST, broker.tlsPort(), version);
    }

    /** Publishes one QoS 1 message from a client of its own, which then leaves. */
    void publish(String topic, String payload) throws MqttException {
        MqttClient publisher = client(unique("publisher"));
        try {
            publisher.connect(options());
            publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            close(publisher);
        }
    }

    /** Disconnects if connected, and closes: for a finally block, where the client may already be gone. */
    static void close(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // already gone
        }
    }

    /** A client id or topic part that no other test of the run uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A Paho callback that adds every payload it receives, as text, to {@code received}. */
    record Collector(List<String> received) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
