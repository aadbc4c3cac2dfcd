package serverless.harness.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static serverless.harness.broker.LocalBrokerFixture.WAIT;
import static serverless.harness.broker.LocalBrokerFixture.close;
import static serverless.harness.broker.LocalBrokerFixture.unique;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serverless.harness.CompleteTier;
import serverless.harness.TestBed;
import serverless.harness.TestBedExtension;
import serverless.harness.broker.RawMqtt.Packet;

/**
 * The local broker enforces Serverless' quotas as EMQX enforces them, seen on the wire by a bare MQTT client
 * ({@link RawMqtt}: reason codes and all) and a Paho subscriber, on the run's one local broker and client ids of
 * its own. What a persistent session keeps across a restart is checked by {@link QueuedSession}, on RestartIT's.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one fixture for all the methods, made in @BeforeAll
@Timeout(60)
class LocalBrokerQuotasIT {

    /** PUBLISHes sent as fast as the broker acknowledges them: six times the bucket, so some go over the rate. */
    private static final int BURST = 60;
    private static final String FENCE = "fence";
    private static final int QUOTA_EXCEEDED = 0x97;
    /** MQTT 5 PUBACK 0x10: accepted, but no one is subscribed to the topic. */
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int MQTT3_FAILURE = 0x80;
    /**
     * Less than the 0.9 s in which a spent bucket gains the 9 tokens that, with the part of one it may have kept, let
     * ten PUBLISHes through: ten that all pass within this of a refusal did not come out of that refused bucket.
     */
    private static final Duration TOO_SOON_TO_REFILL = Duration.ofMillis(800);

    private LocalBrokerFixture local;

    @BeforeAll
    void useTheRunsLocalBroker(TestBed bed) throws Exception {
        local = LocalBrokerFixture.of(bed);
    }

    /**
     * A burst from one client: the first ten go through (a full bucket), then about one a tenth of a second; the rest
     * are refused, each as EMQX refuses it, and none of them is delivered. Every one is either delivered or refused.
     */
    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @CsvSource({"5, 1", "3.1.1, 1", "5, 0", "3.1.1, 0"})
    void publishesOverTheRateAreRefusedAndNotDelivered(String mqtt, int qos) throws Exception {
        String publisherId = unique("rate");
        String topic = "harness-test/" + publisherId;
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = subscribed(topic, received);
        try (RawMqtt publisher = local.rawMqtt(version(mqtt))) {
            publisher.connect(publisherId, local.user(), local.password(), true);
            long start = System.nanoTime();
            int[] acks = qos == 1 ? publisher.publishQos1(topic, "", BURST, 10) : null;
            if (qos == 0) {
                for (int i = 0; i < BURST; i++) {
                    publisher.publishQos0(topic, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Every PUBLISH is decided once recorded (QoS 1: once acknowledged); only then may the rate be lifted.
            await().atMost(WAIT).until(() -> recorded(publisherId) == BURST);
            List<QuotaRefusal> refused = refusalsOf(publisherId);
            List<String> delivered = afterAFence(publisher, publisherId, topic, qos, received);

            assertTrue(refused.stream().allMatch(r -> r.quota() == Quota.PUBLISH_RATE), refused::toString);
            assertEquals(BURST, delivered.size() + refused.size(), () -> "delivered " + delivered + ", refused "
                    + refused.size());
            assertEquals(firstTen(), delivered.subList(0, 10), "a new client's full bucket lets ten through at once");
            long refilled = took.toMillis() / 100 + 1; // one token a tenth of a second, rounded up
            assertTrue(delivered.size() <= 10 + refilled, () -> delivered.size() + " delivered in " + took.toMillis()
                    + " ms: more than 10 at once and 10 a second");
            assertFalse(refused.isEmpty(), () -> "none of " + BURST + " in " + took.toMillis() + " ms was refused");
            if (qos == 1 && mqtt.equals("5")) {
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    assertTrue(succeeded(acks[i]) || acks[i] == QUOTA_EXCEEDED, "PUBACK " + acks[i]);
                    if (acks[i] != QUOTA_EXCEEDED) {
                        acknowledged.add(String.valueOf(i));
                    }
                }
                assertEquals(acknowledged, delivered, "delivered are exactly those not answered 0x97");
            } else if (qos == 1) {
                // MQTT 3.1.1 has no reason codes: each PUBACK is a plain one, and the connection stays up (the fence).
                assertTrue(IntStream.of(acks).allMatch(ack -> ack == RawMqtt.NO_REASON_CODE), () -> "PUBACKs "
                        + Arrays.toString(acks));
            }
        } finally {
            close(subscriber);
        }
    }

    /**
     * The bucket is the connection's, as EMQX's is its channel's: a client that spent its bucket and connects again
     * may publish ten at once. The second connection's TLS handshake is made before the first spends its bucket, so
     * that its CONNECT and ten PUBLISHes follow the last refusal within milliseconds, long before a bucket kept across
     * the reconnect could have refilled.
     */
    @Test
    void aClientThatConnectsAgainMayPublishTenAtOnceAgain() throws Exception {
        String clientId = unique("reconnect");
        String topic = "harness-test/" + clientId;
        try (RawMqtt again = local.rawMqtt(RawMqtt.V5)) { // TLS only: its CONNECT comes once the bucket is spent
            long spentAt;
            try (RawMqtt first = local.rawMqtt(RawMqtt.V5)) {
                first.connect(clientId, local.user(), local.password(), true);
                spentAt = spendTheBucket(first, topic);
                first.disconnect();
            }
            again.connect(clientId, local.user(), local.password(), true);
            assertTenPassAtOnce(again, topic, spentAt);
        }
    }

    /** Another client's bucket is its own: ten at once pass it just after one client spent its bucket. */
    @Test
    void aClientThatSpentItsBucketLeavesAnotherClientsFull() throws Exception {
        String spenderId = unique("spender");
        String otherId = unique("other");
        try (RawMqtt spender = local.rawMqtt(RawMqtt.V5); RawMqtt other = local.rawMqtt(RawMqtt.V5)) {
            spender.connect(spenderId, local.user(), local.password(), true);
            other.connect(otherId, local.user(), local.password(), true);
            long spentAt = spendTheBucket(spender, "harness-test/" + spenderId);
            assertTenPassAtOnce(other, "harness-test/" + otherId, spentAt);
        }
    }

    @Test
    void aClientWhoseRateIsLiftedPublishesAsFastAsItLikes() throws Exception {
        String publisherId = unique("lifted");
        String topic = "harness-test/" + publisherId;
        local.broker().liftPublishRate(List.of(publisherId));
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = subscribed(topic, received);
        try (RawMqtt publisher = local.rawMqtt(RawMqtt.V5)) {
            publisher.connect(publisherId, local.user(), local.password(), true);
            int[] acks = publisher.publishQos1(topic, "", BURST, 10);
            assertTrue(IntStream.of(acks).allMatch(LocalBrokerQuotasIT::succeeded), "every PUBACK a success");
            await().atMost(WAIT).until(() -> received.size() == BURST);
        } finally {
            close(subscriber);
        }
        assertEquals(List.of(), refusalsOf(publisherId));
    }

    @ParameterizedTest(name = "MQTT {0}: refused with 0x{1}")
    @CsvSource({"5, 97", "3.1.1, 80"})
    void theEleventhSubscriptionOfAClientIsRefused(String mqtt, String refusedHex) throws Exception {
        int refused = Integer.parseInt(refusedHex, 16);
        String clientId = unique("subscriptions");
        try (RawMqtt client = local.rawMqtt(version(mqtt))) {
            client.connect(clientId, local.user(), local.password(), true);
            // One SUBSCRIBE of eleven filters: decided one after the other, before HiveMQ stores any of them.
            assertEquals(granted(10, refused), client.subscribe(filters(clientId, 0, 11)));
            assertEquals(List.of(0), client.subscribe(filter(clientId, 3)), "a filter it holds is not a new one");
            assertEquals(List.of(refused), client.subscribe(filter(clientId, 11)));
            client.unsubscribe(filter(clientId, 4));
            assertEquals(granted(1, refused), client.subscribe(filter(clientId, 11), filter(clientId, 12)),
                    "an unsubscribe frees one");
        }
        assertEquals(Collections.nCopies(3, new QuotaRefusal(clientId, Quota.SUBSCRIPTIONS)), refusalsOf(clientId));
    }

    @Test
    void aPersistentSessionKeepsItsSubscriptionsAcrossReconnectsAndACleanOneStartsWithNone() throws Exception {
        String clientId = unique("session-subscriptions");
        try (RawMqtt first = local.rawMqtt(RawMqtt.V3_1_1)) {
            assertFalse(first.connect(clientId, local.user(), local.password(), false).sessionPresent());
            assertEquals(granted(10), first.subscribe(filters(clientId, 0, 10)));
            first.disconnect();
        }
        try (RawMqtt again = local.rawMqtt(RawMqtt.V3_1_1)) {
            assertTrue(again.connect(clientId, local.user(), local.password(), false).sessionPresent());
            assertEquals(List.of(MQTT3_FAILURE), again.subscribe(filter(clientId, 10)), "the kept session holds ten");
            again.disconnect();
        }
        try (RawMqtt clean = local.rawMqtt(RawMqtt.V3_1_1)) {
            assertFalse(clean.connect(clientId, local.user(), local.password(), true).sessionPresent());
            assertEquals(granted(10), clean.subscribe(filters(clientId, 10, 20)), "a clean session holds none");
        }
    }

    @ParameterizedTest(name = "MQTT {0}: refused with 0x{1}")
    @CsvSource({"5, 8F", "3.1.1, 80"})
    void aFilterOfMoreThanTenLevelsIsRefused(String mqtt, String refusedHex) throws Exception {
        int refused = Integer.parseInt(refusedHex, 16);
        String clientId = unique("levels");
        String ten = "1/2/3/4/5/6/7/8/9/10";
        try (RawMqtt client = local.rawMqtt(version(mqtt))) {
            client.connect(clientId, local.user(), local.password(), true);
            // A shared subscription's levels are those of its filter; an empty level counts too.
            assertEquals(List.of(0, refused, 0, refused),
                    client.subscribe(ten, ten + "/11", "$share/" + clientId + "/" + ten, ten + "/"));
        }
        assertEquals(Collections.nCopies(2, new QuotaRefusal(clientId, Quota.TOPIC_LEVELS)), refusalsOf(clientId));
    }

    @ParameterizedTest(name = "MQTT {0}: refused with {1}")
    @CsvSource({"5, 133", "3.1.1, 2"}) // 0x85 client identifier not valid; return code 2, identifier rejected
    void aClientIdOf1025BytesIsRefusedInTheConnack(String mqtt, int refused) throws Exception {
        String prefix = unique("id");
        String longest = prefix + "x".repeat(Quota.CLIENT_ID_LENGTH.limit() - prefix.length());
        String tooLong = prefix + "y".repeat(Quota.CLIENT_ID_LENGTH.limit() + 1 - prefix.length());
        try (RawMqtt client = local.rawMqtt(version(mqtt))) {
            assertEquals(0, client.connect(longest, local.user(), local.password(), true).reasonCode());
        }
        try (RawMqtt client = local.rawMqtt(version(mqtt))) {
            assertEquals(refused, client.connect(tooLong, local.user(), local.password(), true).reasonCode());
        }
        assertEquals(List.of(new QuotaRefusal(tooLong, Quota.CLIENT_ID_LENGTH)), refusalsOf(tooLong));
        assertTrue(local.broker().connections().stream().anyMatch(c -> c.clientId().equals(tooLong) && !c.accepted()
                && c.reasonCode().equals("CLIENT_IDENTIFIER_NOT_VALID")), "recorded as refused");
    }

    /** EMQX checks max_packet_size (1 MB) against the remaining length; over it, the connection is closed. */
    @ParameterizedTest(name = "MQTT {0}")
    @CsvSource({"5", "3.1.1"})
    void aPacketOverOneMegabyteClosesTheConnection(String mqtt) throws Exception {
        String clientId = unique("size");
        try (RawMqtt client = local.rawMqtt(version(mqtt))) {
            client.connect(clientId, local.user(), local.password(), true);
            client.publishQos1OfRemainingLength("harness-test/" + clientId, Quota.MESSAGE_SIZE.limit());
            assertEquals(RawMqtt.PUBACK, client.read().type(), "exactly 1 MB is allowed");
            // The header alone announces the size; the broker closes the connection before the body would follow.
            client.announcePublish(Quota.MESSAGE_SIZE.limit() + 1);
            Optional<Packet> last = client.readUntilClosed();
            if (mqtt.equals("5")) {
                assertEquals(RawMqtt.DISCONNECT, last.orElseThrow().type());
                assertEquals(0x95, last.orElseThrow().body()[0] & 0xFF, "packet too large");
            } else {
                assertEquals(Optional.empty(), last, "MQTT 3.1.1 has no DISCONNECT from the server");
            }
        }
        await().atMost(WAIT).until(() -> refusalsOf(clientId).equals(List.of(new QuotaRefusal(clientId,
                Quota.MESSAGE_SIZE))));
    }

    /** Queued for a session while it is away: the newest 1000 are kept, the oldest dropped, as EMQX does. */
    @Test
    void aSessionQueueKeepsTheNewestThousandMessages() throws Exception {
        String subscriberId = unique("queue");
        String topic = "harness-test/" + subscriberId;
        MqttClient away = local.client(subscriberId);
        try {
            away.connect(local.persistent());
            away.subscribe(topic, 1);
            away.disconnect();
        } finally {
            close(away);
        }
        int total = LocalBroker.SESSION_QUEUE_LENGTH + 5;
        String publisherId = unique("queue-filler");
        // 1005 messages at once, far over 10 a second: this test is about the queue, so the rate is lifted for it.
        local.broker().liftPublishRate(List.of(publisherId));
        try (RawMqtt publisher = local.rawMqtt(RawMqtt.V3_1_1)) {
            publisher.connect(publisherId, local.user(), local.password(), true);
            publisher.publishQos1(topic, "m", total, 100);
        }
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient back = local.client(subscriberId);
        back.setCallback(new LocalBrokerFixture.Collector(received));
        try {
            assertTrue(back.connectWithResult(local.persistent()).getSessionPresent());
            // In order: once the newest is there, so is every older one the queue kept.
            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("m" + (total - 1)));
        } finally {
            close(back);
        }
        assertEquals(IntStream.range(5, total).mapToObj(i -> "m" + i).toList(), received);
    }

    /**
     * Publishes one more message on the same connection at the same QoS, with the rate lifted, waits for it, and
     * returns what came before it: MQTT keeps one publisher's messages at one QoS in order, so that is all there is.
     */
    private List<String> afterAFence(RawMqtt publisher, String publisherId, String topic, int qos,
            List<String> received) throws Exception {
        local.broker().liftPublishRate(List.of(publisherId));
        if (qos == 1) {
            publisher.publishQos1(topic, FENCE, 1, 1);
        } else {
            publisher.publishQos0(topic, (FENCE + 0).getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(WAIT).until(() -> received.contains(FENCE + 0));
        return received.subList(0, received.indexOf(FENCE + 0));
    }

    /**
     * Publishes a burst, then one PUBLISH at a time until one is refused with 0x97: the connection's bucket is then
     * empty. Returns when that was known ({@link System#nanoTime()}).
     */
    private static long spendTheBucket(RawMqtt client, String topic) throws IOException {
        client.publishQos1(topic, "burst ", Quota.PUBLISH_RATE.limit(), 10);
        for (int i = 0; i < BURST; i++) {
            if (client.publishQos1(topic, "until refused " + i, 1, 1)[0] == QUOTA_EXCEEDED) {
                return System.nanoTime();
            }
        }
        return fail("none of " + BURST + " PUBLISHes after a burst of ten was refused");
    }

    /** Ten QoS 1 PUBLISHes at once all pass: a full bucket, not the one spent at {@code spentAt}. */
    private static void assertTenPassAtOnce(RawMqtt client, String topic, long spentAt) throws IOException {
        int[] acks = client.publishQos1(topic, "", Quota.PUBLISH_RATE.limit(), 10);
        Duration since = Duration.ofNanos(System.nanoTime() - spentAt);
        // No one subscribes to the topic: HiveMQ accepts a PUBLISH within the rate with 0x10.
        assertTrue(IntStream.of(acks).allMatch(ack -> succeeded(ack) || ack == NO_MATCHING_SUBSCRIBERS),
                () -> "PUBACKs " + Arrays.toString(acks) + ", " + since.toMillis() + " ms after the other bucket was"
                        + " spent");
        assumeTrue(since.compareTo(TOO_SOON_TO_REFILL) < 0, () -> "the ten took until " + since.toMillis()
                + " ms after the other bucket was spent: by then it could have refilled, so this run proves nothing");
    }

    private MqttClient subscribed(String topic, List<String> received) throws Exception {
        MqttClient subscriber = local.client(unique("subscriber"));
        subscriber.setCallback(new LocalBrokerFixture.Collector(received));
        subscriber.connect(local.options());
        subscriber.subscribe(topic, 1);
        return subscriber;
    }

    private long recorded(String clientId) {
        return local.broker().publishes().stream().filter(p -> p.clientId().equals(clientId)).count();
    }

    private List<QuotaRefusal> refusalsOf(String clientId) {
        return local.broker().quotaRefusals().stream().filter(r -> r.clientId().equals(clientId)).toList();
    }

    /** An MQTT 5 PUBACK of success may carry its reason code 0 or leave it out. */
    private static boolean succeeded(int ack) {
        return ack == RawMqtt.NO_REASON_CODE || ack == 0;
    }

    private static int version(String mqtt) {
        return mqtt.equals("5") ? RawMqtt.V5 : RawMqtt.V3_1_1;
    }

    private static List<String> firstTen() {
        return IntStream.range(0, 10).mapToObj(String::valueOf).toList();
    }

    private static String filter(String clientId, int n) {
        return "quota/" + clientId + "/" + n;
    }

    private static String[] filters(String clientId, int from, int to) {
        return IntStream.range(from, to).mapToObj(n -> filter(clientId, n)).toArray(String[]::new);
    }

    /** {@code count} SUBACK codes granting QoS 0, then the given ones. */
    private static List<Integer> granted(int count, Integer... then) {
        return Stream.concat(Collections.nCopies(count, 0).stream(), Stream.of(then)).toList();
    }
}
