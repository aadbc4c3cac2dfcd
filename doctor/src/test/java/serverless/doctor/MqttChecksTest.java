package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MqttChecksTest {

    @Test
    void aMessageThatDidNotComeBackPointsAtTheAclAndThePublishRate() {
        StepResult result = MqttChecks.notBack("serverless-doctor/3f2a9c1d", 0x00, "wss://h.example:8084/mqtt");

        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals(Step.ROUND_TRIP, result.step());
        assertEquals("the QoS 1 message to serverless-doctor/3f2a9c1d was acknowledged (PUBACK 0x00 success) but did"
                + " not come back within 10 s over wss://h.example:8084/mqtt", result.summary());
        String whatToDo = result.whatToDo().orElseThrow();
        assertTrue(whatToDo.startsWith("The user's ACL must allow both publishing and subscribing to"
                + " serverless-doctor/3f2a9c1d"), whatToDo);
        for (String phrase : new String[] {"publish rate", "10 messages per second per client", "MQTT 3.1.1",
                "MQTT_PUBLISH_RATE"}) {
            assertTrue(whatToDo.contains(phrase), "no '" + phrase + "' in: " + whatToDo);
        }
    }
}
