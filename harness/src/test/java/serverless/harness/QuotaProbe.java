package serverless.harness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import serverless.harness.Broker.Refusal;
import serverless.harness.BrokerProbe.Finding;
import serverless.harness.broker.RawMqtt;
import serverless.harness.broker.RawMqtt.Connack;
import serverless.harness.broker.RawMqtt.Packet;
import serverless.harness.broker.TlsClient;

/**
 * Finds out which of Serverless' quotas a broker enforces, as its clients meet them, before the suite
 * expects it to: whether QoS 1 messages published faster than 10 a second by one client are refused or
 * dropped, whether a client id over 1024 characters is refused, and whether a subscription to a topic filter of
 * more than 10 levels is. Serverless does all three; EMQX 5.8 pauses an over-rate client instead of dropping its
 * messages, and many brokers have none of these quotas. A quota case the broker does not enforce is then skipped
 * with the finding as its reason.
 *
 * <p>Each probe is one MQTT 3.1.1 connection with the broker's user, on client ids and a topic of its own. Like
 * {@link BrokerProbe}'s handshakes, it goes to the broker's address and sends the broker's host name as SNI, and
 * the certificate must name it, as in the examples' JVMs: the name itself need not resolve in this JVM (in external
 * mode it resolves names through DNS, which knows nothing of the test names of the brokers the suite starts). A
 * probe that cannot connect, or whose connection ends early, finds no refusal: it says so, and why.
 */
final class QuotaProbe {

    /** More than a Serverless client's bucket of 10 holds, sent at once. */
    static final int BURST = 30;
    /** Over the 1024 characters Serverless accepts. */
    static final int LONG_CLIENT_ID = 1100;
    /** Serverless' limit of levels in a subscribed topic filter: one more is refused. */
    static final int TOPIC_LEVELS = 10;
    /** MQTT 3.1.1's CONNACK return code for a client id the broker does not accept. */
    private static final int IDENTIFIER_REJECTED = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a broker that pauses an over-rate client (EMQX 5.8) to deliver the whole burst. */
    private static final Duration BURST_BACK = Duration.ofSeconds(4);

    private QuotaProbe() {
    }

    /** Probes the three quotas; the result has a finding for each. */
    static Map<Refusal, Finding> probe(Broker broker, SSLContext trust) {
        Map<Refusal, Finding> found = new EnumMap<>(Refusal.class);
        found.put(Refusal.PUBLISHES_OVER_RATE, publishRate(broker, trust));
        found.put(Refusal.LONG_CLIENT_ID, longClientId(broker, trust));
        found.put(Refusal.DEEP_TOPIC_FILTER, deepTopicFilter(broker, trust));
        return found;
    }

    /**
     * A topic of one level more than Serverless allows in a subscribed filter, ending in {@code last}: a plain topic name,
     * which is also a filter (it has no wildcards), e.g. {@code serverless-examples/levels/3/4/5/6/7/8/9/10/<last>}.
     */
    static String topicOfElevenLevels(String last) {
        StringBuilder topic = new StringBuilder("serverless-examples/levels/");
        for (int level = 3; level <= TOPIC_LEVELS; level++) {
            topic.append(level).append('/');
        }
        return topic.append(last).toString();
    }

    /**
     * Refused: every PUBACK came, and fewer than the whole burst of QoS 1 messages came back through the client's
     * own subscription. The burst is sent without waiting for each PUBACK, so that even a slow machine sends it
     * within the second that would refill a Serverless client's bucket.
     */
    private static Finding publishRate(Broker broker, SSLContext trust) {
        String what = "QoS 1 messages published faster than 10 a second by one client";
        String clientId = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/probe/" + clientId;
        try (SSLSocket socket = connect(broker, trust); RawMqtt client = RawMqtt.over(socket, RawMqtt.V3_1_1)) {
            Connack connack = client.connect(clientId, broker.username(), broker.password(), true);
            if (connack.reasonCode() != 0) {
                return new Finding(false, what + " (could not be probed: CONNACK return code " + connack.reasonCode() + ")");
            }
            List<Integer> granted = client.subscribe(1, topic);
            if (granted.get(0) >= 0x80) {
                return new Finding(false, what + " (could not be probed: the subscription to " + topic + " was refused)");
            }
            client.publishQos1Burst(topic, "probe #", BURST);
            // Its PUBACKs within the timeout (over the rate, MQTT 3.1.1 is acknowledged too), then the burst back
            // within BURST_BACK of the last one; what comes back before is counted too.
            Set<String> back = new HashSet<>();
            int acknowledged = 0;
            Instant until = Instant.now().plus(TIMEOUT);
            while (back.size() < BURST) {
                Duration left = Duration.between(Instant.now(), until);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left.toMillis()));
                Packet packet;
                try {
                    packet = client.read();
                } catch (SocketTimeoutException late) {
                    break;
                }
                if (packet.type() == RawMqtt.PUBLISH) {
                    back.add(new String(client.acknowledge(packet), UTF_8));
                } else if (packet.type() == RawMqtt.PUBACK && ++acknowledged == BURST) {
                    until = Instant.now().plus(BURST_BACK);
                }
            }
            if (acknowledged < BURST) {
                return new Finding(false, what + " (could not be probed: " + acknowledged + " of " + BURST
                        + " PUBACKs within " + TIMEOUT.toSeconds() + " s)");
            }
            client.disconnect();
            return back.size() == BURST
                    ? new Finding(false, what + " (all " + BURST + " of a burst came back)")
                    : new Finding(true, what + " (" + back.size() + " of a burst of " + BURST + " came back)");
        } catch (IOException | RuntimeException e) {
            return new Finding(false, what + " (could not be probed: " + e + ")");
        }
    }

    /** Refused: the CONNACK rejected the client id. */
    private static Finding longClientId(Broker broker, SSLContext trust) {
        String what = "a client id of " + LONG_CLIENT_ID + " characters";
        String clientId = "probe-" + "x".repeat(LONG_CLIENT_ID - "probe-".length());
        try (SSLSocket socket = connect(broker, trust); RawMqtt client = RawMqtt.over(socket, RawMqtt.V3_1_1)) {
            int code = client.connect(clientId, broker.username(), broker.password(), true).reasonCode();
            if (code == 0) {
                client.disconnect();
                return new Finding(false, what + " (the connection was accepted)");
            }
            return code == IDENTIFIER_REJECTED
                    ? new Finding(true, what + " (CONNACK: identifier rejected)")
                    : new Finding(false, what + " (could not be probed: CONNACK return code " + code + ")");
        } catch (IOException | RuntimeException e) {
            return new Finding(false, what + " (could not be probed: " + e + ")");
        }
    }

    /** Refused: the SUBACK refused a subscription to a topic filter of 11 levels (MQTT 3.1.1: return code 0x80). */
    private static Finding deepTopicFilter(Broker broker, SSLContext trust) {
        String what = "a subscription to a topic filter of " + (TOPIC_LEVELS + 1) + " levels";
        String clientId = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        try (SSLSocket socket = connect(broker, trust); RawMqtt client = RawMqtt.over(socket, RawMqtt.V3_1_1)) {
            Connack connack = client.connect(clientId, broker.username(), broker.password(), true);
            if (connack.reasonCode() != 0) {
                return new Finding(false, what + " (could not be probed: CONNACK return code " + connack.reasonCode() + ")");
            }
            int granted = client.subscribe(1, topicOfElevenLevels(clientId)).get(0);
            client.disconnect();
            return granted >= 0x80
                    ? new Finding(true, what + " (SUBACK: failure)")
                    : new Finding(false, what + " (SUBACK: granted QoS " + granted + ")");
        } catch (IOException | RuntimeException e) {
            return new Finding(false, what + " (could not be probed: " + e + ")");
        }
    }

    /**
     * A TLS connection to the broker's address, sending its host name as SNI (the JDK sends a dotted name, as the
     * examples' JVMs do) and checking the certificate against that name, with reads bounded by the timeout.
     */
    private static SSLSocket connect(Broker broker, SSLContext trust) throws IOException {
        return TlsClient.to(broker.ipAddress(), broker.tlsPort(), trust).named(broker.host()).verifyingTheName()
                .within(TIMEOUT).handshake();
    }
}
