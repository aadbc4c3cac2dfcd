package serverless.harness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import serverless.harness.Broker.Capability;
import serverless.harness.BrokerProbe.Finding;

/**
 * Finds out which of Serverless' quotas a broker enforces, as its clients meet them, before the suite
 * expects it to: whether QoS 1 messages published faster than 10 a second by one client are refused or
 * dropped, and whether a client id over 1024 characters is refused. Serverless does both; EMQX 5.8 pauses an
 * over-rate client instead of dropping its messages, and many brokers have neither quota. A quota case the
 * broker does not enforce is then skipped with the finding as its reason.
 *
 * <p>Each probe is one MQTT 3.1.1 connection with the broker's user, on client ids and a topic of its own.
 */
final class QuotaProbe {

    /** More than a Serverless client's bucket of 10 holds, sent as fast as PUBACKs come back. */
    static final int BURST = 30;
    /** Over the 1024 characters Serverless accepts. */
    static final int LONG_CLIENT_ID = 1100;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a broker that pauses an over-rate client (EMQX 5.8) to deliver the whole burst. */
    private static final Duration BURST_BACK = Duration.ofSeconds(4);

    private QuotaProbe() {
    }

    /** Probes both quotas; the result has a finding for each. */
    static Map<Capability, Finding> probe(Broker broker, SSLContext trust) {
        Map<Capability, Finding> found = new EnumMap<>(Capability.class);
        found.put(Capability.REFUSES_PUBLISHES_OVER_RATE, publishRate(broker, trust));
        found.put(Capability.REFUSES_LONG_CLIENT_ID, longClientId(broker, trust));
        return found;
    }

    /**
     * Refused: fewer than the whole burst of QoS 1 messages came back through the client's own subscription.
     * The burst is sent without waiting for each PUBACK, so that even a slow machine sends it within the
     * second that would refill a Serverless client's bucket.
     */
    private static Finding publishRate(Broker broker, SSLContext trust) {
        String what = "QoS 1 messages published faster than 10 a second by one client";
        String clientId = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/probe/" + clientId;
        Set<String> back = ConcurrentHashMap.newKeySet();
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient("ssl://" + broker.host() + ":" + broker.tlsPort(), clientId, new MemoryPersistence());
            client.setCallback(new Collector(back));
            MqttConnectOptions options = options(broker, trust);
            options.setMaxInflight(BURST);
            client.connect(options).waitForCompletion(TIMEOUT.toMillis());
            client.subscribe(topic, 1).waitForCompletion(TIMEOUT.toMillis());
            List<IMqttDeliveryToken> sent = new ArrayList<>();
            for (int i = 1; i <= BURST; i++) {
                sent.add(client.publish(topic, ("probe #" + i).getBytes(UTF_8), 1, false));
            }
            for (IMqttDeliveryToken token : sent) {
                token.waitForCompletion(TIMEOUT.toMillis()); // its PUBACK: over the rate, 3.1.1 is acknowledged too
            }
            try {
                Awaitility.await().atMost(BURST_BACK).pollInterval(Duration.ofMillis(50)).until(() -> back.size() == BURST);
                return new Finding(false, what + " (all " + BURST + " of a burst came back)");
            } catch (ConditionTimeoutException fewer) {
                return new Finding(true, what + " (" + back.size() + " of a burst of " + BURST + " came back)");
            }
        } catch (MqttException e) {
            return new Finding(false, what + " (could not be probed: " + e.getMessage() + ")");
        } finally {
            close(client);
        }
    }

    /** Refused: the CONNACK rejected the client id. */
    private static Finding longClientId(Broker broker, SSLContext trust) {
        String what = "a client id of " + LONG_CLIENT_ID + " characters";
        String clientId = "probe-" + "x".repeat(LONG_CLIENT_ID - "probe-".length());
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient("ssl://" + broker.host() + ":" + broker.tlsPort(), clientId, new MemoryPersistence());
            client.connect(options(broker, trust)).waitForCompletion(TIMEOUT.toMillis());
            return new Finding(false, what + " (the connection was accepted)");
        } catch (MqttException e) {
            return e.getReasonCode() == MqttException.REASON_CODE_INVALID_CLIENT_ID
                    ? new Finding(true, what + " (CONNACK: identifier rejected)")
                    : new Finding(false, what + " (could not be probed: " + e.getMessage() + ")");
        } finally {
            close(client);
        }
    }

    private static MqttConnectOptions options(Broker broker, SSLContext trust) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no fallback to 3.1: one CONNECT
        options.setUserName(broker.username());
        options.setPassword(broker.password().toCharArray());
        options.setSocketFactory(trust.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout((int) TIMEOUT.toSeconds());
        options.setCleanSession(true);
        return options;
    }

    private static void close(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // gone already: nothing of the probe's is left on the broker (clean session)
        }
    }

    private record Collector(Set<String> back) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            back.add(new String(message.getPayload(), UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
