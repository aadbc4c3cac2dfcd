package serverless.examples.paho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The one-line errors this module adds for Serverless' quotas, with the phrases the harness checks. */
@ResourceLock(Resources.SYSTEM_ERR) // it reads what Failures prints there
class FailuresTest {

    private static final ExampleSettings SETTINGS = ExampleSettings.from(Map.of(
            "MQTT_HOST", "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo", "MQTT_PASSWORD", "secret",
            "MQTT_CLIENT_ID", "c".repeat(1100)), "paho");

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
                Failures.describe(new RoundTrip.Refused(11, 0x97), SETTINGS));
    }

    @Test
    void aPubAckFromTheAclSaysSoAndWhereToLookNotThatTheMessageDidNotComeBack() {
        assertEquals("The broker refused message 1 with reason code 0x87 (not authorized): the user's ACL does not allow"
                        + " publishing on MQTT_TOPIC. Check the deployment's Authorization page, or set MQTT_TOPIC to a topic"
                        + " the user may publish on.",
                Failures.describe(new RoundTrip.Refused(1, 0x87), SETTINGS));
    }

    /** Every other refusal names its reason code in words and something to check. */
    @Test
    void everyOtherPubAckRefusalNamesItsReasonCodeAndWhatToCheck() {
        assertTrue(Failures.describe(new RoundTrip.Refused(1, 0x90), SETTINGS).startsWith("The broker refused message 1"
                + " with reason code 0x90 (topic name invalid): it does not take MQTT_TOPIC as a topic to publish on."
                + " Check MQTT_TOPIC"));
        assertTrue(Failures.describe(new RoundTrip.Refused(1, 0x99), SETTINGS).startsWith("The broker refused message 1"
                + " with reason code 0x99 (payload format invalid)"));
        assertTrue(Failures.describe(new RoundTrip.Refused(1, 0x80), SETTINGS).contains("0x80 (unspecified error)"));
        assertEquals("The broker refused message 4 with reason code 0x83 (implementation specific error). Check the"
                + " deployment's status in the console, and give this reason code in a support ticket.",
                Failures.describe(new RoundTrip.Refused(4, 0x83), SETTINGS));
        assertTrue(Failures.describe(new RoundTrip.Refused(1, 0xF0), SETTINGS).contains("0xF0 (not in MQTT 5's list)"));
    }

    /** A refused subscription is the ACL as often as the quota: the line names both, for either protocol. */
    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuota() {
        String quota = " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization"
                + " page), and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic"
                + " filter.";
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)." + quota,
                Failures.describe(new Refusals.SubscriptionRefused(Refusals.MQTT3_SUBACK_FAILURE), SETTINGS));
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x8F topic filter invalid)." + quota,
                Failures.describe(new Refusals.SubscriptionRefused(Refusals.named(0x8F)), SETTINGS));
        // Paho 3.1.1's own code for a failed subscription, should it throw one.
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)." + quota,
                Failures.describe(new org.eclipse.paho.client.mqttv3.MqttException(
                        org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_SUBSCRIBE_FAILED), SETTINGS));
    }

    @Test
    void aRefusedClientIdNamesTheVariableItsLengthAndTheLimits() {
        String expected = "The broker rejected the client id (MQTT_CLIENT_ID, 1100 characters). Use a shorter one:"
                + " Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works"
                + " everywhere.";
        // MQTT 3.1.1: CONNACK return code 2, identifier rejected.
        assertEquals(expected, Failures.describe(
                new org.eclipse.paho.client.mqttv3.MqttException(
                        org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_INVALID_CLIENT_ID), SETTINGS));
        // MQTT 5: CONNACK reason code 0x85, client identifier not valid.
        assertEquals(expected, Failures.describe(new org.eclipse.paho.mqttv5.common.MqttException(0x85), SETTINGS));
    }

    @Test
    void aNewFailureLineIsOneLineOnStandardErrorAndExitCode1() {
        PrintStream standardError = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exitCode = Failures.report(new RoundTrip.Refused(3, 0x97), SETTINGS);
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

    private static void assertContainsIgnoringCase(String line, String phrase) {
        assertTrue(line.toLowerCase(Locale.ROOT).contains(phrase.toLowerCase(Locale.ROOT)), line);
    }
}
