package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReasonCodesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0   | 0x00 success",
            "134 | 0x86 bad user name or password",
            "135 | 0x87 not authorized",
            "136 | 0x88 server unavailable",
            "138 | 0x8A banned",
            "151 | 0x97 quota exceeded",
            "159 | 0x9F connection rate exceeded",
            "254 | 0xFE (reason code not in MQTT 5)"})
    void reasonCodesInWords(int code, String words) {
        assertEquals(words, ReasonCodes.describe(code));
    }

    @Test
    void onlyCodesFrom0x80To0xFFComeFromTheServer() {
        assertTrue(ReasonCodes.fromServer(0x86));
        assertFalse(ReasonCodes.fromServer(0x00));
        assertFalse(ReasonCodes.fromServer(32000)); // Paho's own "timed out waiting for a response"
        assertFalse(ReasonCodes.fromServer(32103)); // Paho's own "unable to connect to server"
    }

    @Test
    void withoutAUserTheAdviceIsThatServerlessHasNoAnonymousAccess() {
        assertTrue(ReasonCodes.connackAdvice(0x87, false).contains("no anonymous access"));
        assertTrue(ReasonCodes.connackAdvice(0x86, false).contains("no anonymous access"));
        assertTrue(ReasonCodes.connackAdvice(0x86, true).contains("MQTT_PASSWORD"));
        assertTrue(ReasonCodes.connackAdvice(0x87, true).contains("exists on this deployment"));
    }

    @Test
    void pubAckQuotaExceededIsExplainedAsTheDeploymentsRate() {
        String advice = ReasonCodes.pubackAdvice(0x97, "serverless-doctor/3f2a9c1d");

        for (String phrase : new String[] {"quota", "10 messages per second", "single message", "MQTT_PUBLISH_RATE"}) {
            assertTrue(advice.contains(phrase), "no '" + phrase + "' in: " + advice);
        }
        assertFalse(advice.contains("ACL"), advice);
    }

    /** A refused subscription is the ACL as often as Serverless' subscription quota: the advice names both. */
    @Test
    void aSubAckRefusalPointsAtTheAclAndTheSubscriptionQuota() {
        assertEquals("The user's ACL must allow subscribing to a/b/c/d/e/f/g/h/i/j/k: check the deployment's Authorization"
                + " page, or set MQTT_TOPIC to a topic the user may use. Serverless also refuses a subscription over its"
                + " quota: at most 10 subscriptions per client and 10 levels per topic filter (a/b/c/d/e/f/g/h/i/j/k has"
                + " 11).", ReasonCodes.subackAdvice("a/b/c/d/e/f/g/h/i/j/k"));
        assertTrue(ReasonCodes.subackAdvice("serverless-doctor/3f2a9c1d/").endsWith("(serverless-doctor/3f2a9c1d/ has 3)."),
                "an empty level counts, as EMQX counts it");
    }

    @Test
    void otherPubAckRefusalsPointAtTheAcl() {
        String advice = ReasonCodes.pubackAdvice(0x87, "serverless-doctor/3f2a9c1d");

        assertEquals("The user's ACL must allow publishing to serverless-doctor/3f2a9c1d: check the deployment's"
                + " Authorization page, or set MQTT_TOPIC to a topic the user may use.", advice);
    }
}
