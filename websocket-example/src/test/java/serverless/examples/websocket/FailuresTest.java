package serverless.examples.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.internal.mqtt.datatypes.MqttUserPropertiesImpl;
import com.hivemq.client.internal.mqtt.message.connect.connack.MqttConnAck;
import com.hivemq.client.internal.mqtt.message.connect.connack.MqttConnAckRestrictions;
import com.hivemq.client.internal.mqtt.message.publish.puback.MqttPubAck;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The one-line errors this module adds for Serverless' quotas, with the phrases the harness checks. The HiveMQ
 * client's PUBACK and CONNACK are built with its internal classes: its API has interfaces only.
 */
@ResourceLock(Resources.SYSTEM_ERR) // it reads what Failures prints there
class FailuresTest {

    private static final ExampleSettings SETTINGS = ExampleSettings.from(Map.of(
            "MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret",
            "MQTT_CLIENT_ID", "c".repeat(1100)), "paho-ws");

    @Test
    void messagesThatDidNotComeBackPointAtTheAclAndThePublishRate() {
        String line = Failures.describe(new RoundTrip.Stalled(
                "20 of 30 messages did not come back within 20 s of the last one", true), SETTINGS);

        assertTrue(line.startsWith("20 of 30 messages did not come back within 20 s of the last one. "), line);
        assertContainsIgnoringCase(line, "ACL");
        assertContainsIgnoringCase(line, "MQTT_PUBLISH_RATE");
        assertTrue(line.contains("without telling an MQTT 3.1.1 client"), line);
    }

    @Test
    void messagesWithoutPubAckGetNoRateHint() {
        // The rate drops messages after their PUBACK, so it cannot be why PUBACKs are missing.
        String line = Failures.describe(new RoundTrip.Stalled(
                "3 of 30 messages were not acknowledged (PUBACK) within 20 s of the last one", false), SETTINGS);

        assertContainsIgnoringCase(line, "ACL");
        assertFalse(line.contains("MQTT_PUBLISH_RATE"), line);
    }

    @Test
    void aPubAckWithQuotaExceededSaysWhichMessageAndWhatToKeepTheRateAt() {
        assertEquals("The broker refused message 11 with reason code 0x97 (quota exceeded): this client published"
                        + " faster than the deployment allows (Serverless: 10 messages per second per client). Keep"
                        + " MQTT_PUBLISH_RATE at 10 or below.",
                Failures.describe(notPublished(11, Mqtt5PubAckReasonCode.QUOTA_EXCEEDED), SETTINGS));
    }

    @Test
    void aPubAckFromTheAclNamesTheCodeTheAclAndWhereToLook() {
        assertEquals("The broker refused message 4 with reason code 0x87 (not authorized): the user's ACL does not allow"
                        + " publishing on MQTT_TOPIC. Check the deployment's Authorization page, or set MQTT_TOPIC to a topic"
                        + " the user may publish on.",
                Failures.describe(notPublished(4, Mqtt5PubAckReasonCode.NOT_AUTHORIZED), SETTINGS));
    }

    @Test
    void everyOtherPubAckErrorIsNamedWithWhatToCheck() {
        String topicNameInvalid = Failures.describe(notPublished(1, Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID), SETTINGS);
        String unspecified = Failures.describe(notPublished(1, Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR), SETTINGS);

        assertTrue(topicNameInvalid.startsWith("The broker refused message 1 with reason code 0x90 (topic name invalid)"),
                topicNameInvalid);
        assertTrue(unspecified.startsWith("The broker refused message 1 with reason code 0x80 (unspecified error)"),
                unspecified);
    }

    /** A refused subscription is the ACL as often as Serverless' subscription quota: the line names both. */
    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuotaForBothClients() {
        Mqtt5SubAck refusal = (Mqtt5SubAck) Proxy.newProxyInstance(Mqtt5SubAck.class.getClassLoader(),
                new Class<?>[] {Mqtt5SubAck.class}, (proxy, method, args) -> method.getName().equals("getReasonCodes")
                        ? List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID) : null);
        String quota = " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization"
                + " page), and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic"
                + " filter.";

        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x8F topic filter invalid)." + quota,
                Failures.describe(new Mqtt5SubAckException(refusal, "SUBACK contains only Error Codes"), SETTINGS));
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)." + quota,
                Failures.describe(new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED), SETTINGS));
    }

    @Test
    void aRefusedClientIdNamesTheVariableItsLengthAndTheLimits() {
        String expected = "The broker rejected the client id (MQTT_CLIENT_ID, 1100 characters). Use a shorter one:"
                + " Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works"
                + " everywhere.";
        // Paho, MQTT 3.1.1: CONNACK return code 2, identifier rejected.
        assertEquals(expected, Failures.describe(
                new MqttException(MqttException.REASON_CODE_INVALID_CLIENT_ID), SETTINGS));
        // The HiveMQ client, MQTT 5: CONNACK reason code 0x85, client identifier not valid.
        MqttConnAck connAck = new MqttConnAck(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, false, 0, 0, null,
                null, MqttConnAckRestrictions.DEFAULT, null, null, null, MqttUserPropertiesImpl.NO_USER_PROPERTIES);
        assertEquals(expected, Failures.describe(new Mqtt5ConnAckException(connAck, "CONNACK"), SETTINGS));
    }

    @Test
    void aNewFailureLineIsOneLineOnStandardErrorAndExitCode1() {
        PrintStream standardError = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exitCode = Failures.report(notPublished(3, Mqtt5PubAckReasonCode.QUOTA_EXCEEDED), SETTINGS);
        } finally {
            System.setErr(standardError);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, exitCode);
        assertTrue(output.startsWith("ERROR: The broker refused message 3 with reason code 0x97"), output);
        assertEquals(1, output.lines().count(), output);
    }

    @Test
    void aBadPublishRateIsASettingsErrorWithExitCode2() {
        PrintStream standardError = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exitCode = Failures.report(new SettingsException("MQTT_PUBLISH_RATE=-1 is not a whole number"), null);
        } finally {
            System.setErr(standardError);
        }
        assertEquals(2, exitCode);
        assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("ERROR: MQTT_PUBLISH_RATE=-1"));
    }

    /** What the example's publish loop ends with when the HiveMQ client's publish future fails with a PUBACK. */
    private static RoundTrip.NotPublished notPublished(int message, Mqtt5PubAckReasonCode reasonCode) {
        MqttPubAck pubAck = new MqttPubAck(message, reasonCode, null, MqttUserPropertiesImpl.NO_USER_PROPERTIES);
        return new RoundTrip.NotPublished(message, new Mqtt5PubAckException(pubAck, "PUBACK contained an Error Code"));
    }

    private static void assertContainsIgnoringCase(String line, String phrase) {
        assertTrue(line.toLowerCase(Locale.ROOT).contains(phrase.toLowerCase(Locale.ROOT)), line);
    }
}
