package serverless.examples.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttConnectionException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The one-line errors for the broker's quotas, from what vertx-mqtt and the example report. */
class FailuresTest {

    private static ExampleSettings settings(String clientId) {
        return ExampleSettings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "demo",
                "MQTT_PASSWORD", "secret", "MQTT_CLIENT_ID", clientId), "vertx");
    }

    @Test
    void messagesThatDidNotComeBackPointAtTheAclAndThePublishRate() {
        // As main() gets it: the round trip's failure, wrapped by CompletableFuture.get().
        ExecutionException error = new ExecutionException(new RoundTrip.MessagesMissingException(
                "20 of 30 messages did not come back within 20 s of the last one"));

        String line = Failures.describe(error, settings("vertx-3f2a9c1d"));
        assertTrue(line.startsWith("20 of 30 messages did not come back within 20 s of the last one. "), line);
        for (String phrase : new String[] {"did not come back", "ACL", "MQTT_PUBLISH_RATE", "MQTT 3.1.1"}) {
            assertTrue(line.contains(phrase), "no '" + phrase + "' in: " + line);
        }
    }

    /** As the example fails its subscription on a SUBACK of 0x80: the ACL, or Serverless' subscription quota. */
    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuota() {
        ExecutionException error = new ExecutionException(
                new io.vertx.mqtt.MqttException(Failures.SUBSCRIPTION_REFUSED, "SUBACK 0x80"));

        assertEquals("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure). Check that the user's"
                + " ACL allows it to subscribe to that topic (the deployment's Authorization page), and Serverless'"
                + " subscription quota: at most 10 subscriptions per client and 10 levels per topic filter.",
                Failures.describe(error, settings("vertx-3f2a9c1d")));
    }

    @Test
    void connAckIdentifierRejectedSaysHowLongTheClientIdIs() {
        ExecutionException error = new ExecutionException(
                new MqttConnectionException(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED));

        assertEquals("The broker rejected the client id (MQTT_CLIENT_ID, 1100 characters). Use a shorter one:"
                + " Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer"
                + " works everywhere.", Failures.describe(error, settings("c".repeat(1100))));
    }

    @Test
    void otherConnAckCodesKeepTheirLines() {
        ExecutionException error = new ExecutionException(
                new MqttConnectionException(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));

        assertTrue(Failures.describe(error, settings("vertx-3f2a9c1d")).contains("username or password"));
    }
}
