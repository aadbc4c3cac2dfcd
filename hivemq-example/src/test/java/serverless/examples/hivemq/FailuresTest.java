package serverless.examples.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line errors for the broker's quotas, from the exceptions the HiveMQ client reports them with. */
class FailuresTest {

    private static ExampleSettings settings(String clientId) {
        return ExampleSettings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo",
                "MQTT_PASSWORD", "secret", "MQTT_CLIENT_ID", clientId), "hivemq");
    }

    /** A received packet of the client's API type, answering only its reason (or return) code. */
    private static <T> T packet(Class<T> type, String codeMethod, Object code) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals(codeMethod) ? code : null));
    }

    private static Mqtt5PubAckException pubAck(Mqtt5PubAckReasonCode code) {
        return new Mqtt5PubAckException(packet(Mqtt5PubAck.class, "getReasonCode", code), "PUBACK contained an Error Code");
    }

    @Test
    void noConnackWithinTheBoundIsAConnectNeverAnsweredNotTheBrokersRefusalNorTheNetwork() {
        // What the client reports when its own 10 s for the CONNACK run out: a DISCONNECT it sent itself (MQTT 5),
        // or one with only that message (MQTT 3.1.1). That bound starts once TLS is up.
        Mqtt5DisconnectException mqtt5 = new Mqtt5DisconnectException(packet(Mqtt5Disconnect.class,
                "getReasonCode", Mqtt5DisconnectReasonCode.PROTOCOL_ERROR), "Timeout while waiting for CONNACK");
        var mqtt3 = new com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException(
                "Timeout while waiting for CONNACK", null);

        for (Exception noConnack : new Exception[] {mqtt5, mqtt3}) {
            String line = Failures.describe(noConnack, settings("hivemq-3f2a9c1d"));
            assertTrue(line.startsWith("The server accepted the connection (TLS completed) but never answered the"
                    + " MQTT CONNECT within 10 s. Usually the deployment is starting or overloaded"), line);
            assertTrue(!line.contains("ACL") && !line.contains("timed out"), line);
        }
    }

    @Test
    void aTlsHandshakeWithoutAnAnswerStillTimedOut() {
        var handshake = new com.hivemq.client.mqtt.exceptions.ConnectionFailedException(
                new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake timed out after 10000ms"));

        assertTrue(Failures.describe(handshake, settings("hivemq-3f2a9c1d")).startsWith("The TLS handshake timed out"));
    }

    @Test
    void aDisconnectFromTheBrokerKeepsItsLine() {
        Mqtt5DisconnectException disconnect = new Mqtt5DisconnectException(packet(Mqtt5Disconnect.class,
                "getReasonCode", Mqtt5DisconnectReasonCode.NOT_AUTHORIZED), "Server sent DISCONNECT.");

        String line = Failures.describe(disconnect, settings("hivemq-3f2a9c1d"));
        assertTrue(line.startsWith("The broker closed the connection (DISCONNECT NOT_AUTHORIZED)."), line);
    }

    @Test
    void pubAckQuotaExceededNamesTheMessageAndThePublishRate() {
        RoundTrip.NotPublished refused = new RoundTrip.NotPublished(11, pubAck(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));

        assertEquals("The broker refused message 11 with reason code 0x97 (quota exceeded): this client published"
                + " faster than the deployment allows (Serverless: 10 messages per second per client)."
                + " Keep MQTT_PUBLISH_RATE at 10 or below.", Failures.describe(refused, settings("hivemq-3f2a9c1d")));
    }

    @Test
    void pubAckNotAuthorizedNamesTheCodeTheAclAndWhereToLook() {
        RoundTrip.NotPublished refused = new RoundTrip.NotPublished(1, pubAck(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));

        assertEquals("The broker refused message 1 with reason code 0x87 (not authorized): the user's ACL does not allow"
                + " publishing on MQTT_TOPIC. Check the deployment's Authorization page, or set MQTT_TOPIC to a topic the"
                + " user may publish on.", Failures.describe(refused, settings("hivemq-3f2a9c1d")));
    }

    @Test
    void everyOtherPubAckErrorCodeIsNamedWithWhatToCheck() {
        String topicNameInvalid = Failures.describe(new RoundTrip.NotPublished(2,
                pubAck(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID)), settings("hivemq-3f2a9c1d"));
        String payloadFormatInvalid = Failures.describe(new RoundTrip.NotPublished(2,
                pubAck(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID)), settings("hivemq-3f2a9c1d"));
        String unspecified = Failures.describe(new RoundTrip.NotPublished(2,
                pubAck(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR)), settings("hivemq-3f2a9c1d"));

        assertTrue(topicNameInvalid.startsWith("The broker refused message 2 with reason code 0x90 (topic name invalid):"
                + " it does not take MQTT_TOPIC as a topic to publish on. Check MQTT_TOPIC"), topicNameInvalid);
        assertTrue(payloadFormatInvalid.startsWith("The broker refused message 2 with reason code 0x99 (payload format"
                + " invalid)"), payloadFormatInvalid);
        assertTrue(unspecified.startsWith("The broker refused message 2 with reason code 0x80 (unspecified error),"
                + " without saying why. Check"), unspecified);
    }

    /** A refused subscription is the ACL as often as Serverless' subscription quota: the line names both. */
    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuota() {
        Mqtt5SubAckException mqtt5 = new Mqtt5SubAckException(packet(Mqtt5SubAck.class, "getReasonCodes",
                List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID)), "SUBACK contains only Error Codes");
        Mqtt3SubAckException mqtt3 = new Mqtt3SubAckException(packet(Mqtt3SubAck.class, "getReturnCodes",
                List.of(Mqtt3SubAckReturnCode.FAILURE)), "SUBACK contains only Error Codes", null);
        String quota = " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization"
                + " page), and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic"
                + " filter.";

        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x8F topic filter invalid)." + quota,
                Failures.describe(mqtt5, settings("hivemq-3f2a9c1d")));
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)." + quota,
                Failures.describe(mqtt3, settings("hivemq-3f2a9c1d")));
    }

    @Test
    void messagesThatDidNotComeBackPointAtTheAclAndThePublishRate() {
        String line = Failures.describe(new RoundTrip.Stalled("20 of 30 messages did not come back within 20 s of the"
                + " last one"), settings("hivemq-3f2a9c1d"));

        assertTrue(line.startsWith("20 of 30 messages did not come back within 20 s of the last one. "), line);
        for (String phrase : new String[] {"did not come back", "ACL", "MQTT_PUBLISH_RATE", "10 messages per second"}) {
            assertTrue(line.contains(phrase), "no '" + phrase + "' in: " + line);
        }
    }

    @Test
    void mqtt5ClientIdentifierNotValidSaysHowLongTheClientIdIs() {
        Mqtt5ConnAckException refused = new Mqtt5ConnAckException(
                packet(Mqtt5ConnAck.class, "getReasonCode", Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID),
                "CONNECT failed as CONNACK contained an Error Code: CLIENT_IDENTIFIER_NOT_VALID.");

        assertEquals("The broker rejected the client id (MQTT_CLIENT_ID, 1100 characters). Use a shorter one:"
                + " Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer"
                + " works everywhere.", Failures.describe(refused, settings("c".repeat(1100))));
    }

    @Test
    void mqtt3IdentifierRejectedGetsTheSameLine() {
        Mqtt3ConnAckException refused = new Mqtt3ConnAckException(
                packet(Mqtt3ConnAck.class, "getReturnCode", Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED),
                "CONNECT failed as CONNACK contained an Error Code: IDENTIFIER_REJECTED.", null);

        String line = Failures.describe(refused, settings("c".repeat(30)));
        for (String phrase : new String[] {"client id", "MQTT_CLIENT_ID", "30 characters", "23"}) {
            assertTrue(line.toLowerCase(Locale.ROOT).contains(phrase.toLowerCase(Locale.ROOT)), "no '" + phrase + "' in: " + line);
        }
    }

    @Test
    void otherConnAckCodesKeepTheirLines() {
        Mqtt5ConnAckException refused = new Mqtt5ConnAckException(
                packet(Mqtt5ConnAck.class, "getReasonCode", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD), "refused");

        assertTrue(Failures.describe(refused, settings("hivemq-3f2a9c1d")).contains("username or password"));
    }
}
