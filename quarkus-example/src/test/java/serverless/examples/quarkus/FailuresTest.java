package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line for a refused subscription, which on Serverless is the ACL as often as the subscription quota. */
class FailuresTest {

    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuota() {
        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure). Check that the user's"
                + " ACL allows it to subscribe to that topic (the deployment's Authorization page), and Serverless'"
                + " subscription quota: at most 10 subscriptions per client and 10 levels per topic filter.",
                Failures.describe(new Failures.SubscriptionRefusedException(), "abc.ala.us-east-1.emqxsl.com",
                        "quarkus-3f2a9c1d"));
    }
}
