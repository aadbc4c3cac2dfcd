package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
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

    /** The tls step passed moments before: a CONNECT without a CONNACK is the deployment, not the network. */
    @Test
    void aConnectWithoutAnAnswerAfterTlsSaysTheServerNeverAnsweredItAndWhatThatUsuallyMeans() {
        StepResult result = MqttChecks.diagnose(Settings.from(Map.of("MQTT_HOST", "h.example"), true),
                "ssl://h.example:8883", new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT));

        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals("no CONNACK over ssl://h.example:8883: the server accepted TLS but never answered the MQTT CONNECT"
                + " within 10 s", result.summary());
        String whatToDo = result.whatToDo().orElseThrow();
        assertTrue(whatToDo.startsWith("Usually the deployment is starting or overloaded"), whatToDo);
        for (String phrase : new String[] {"speaks TLS but not MQTT", "8883", "8084"}) {
            assertTrue(whatToDo.contains(phrase), "no '" + phrase + "' in: " + whatToDo);
        }
    }

    @Test
    void aConnectionClosedAfterTheConnectKeepsItsDiagnosis() {
        StepResult result = MqttChecks.diagnose(Settings.from(Map.of("MQTT_HOST", "h.example"), true),
                "ssl://h.example:8883", new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST));

        assertEquals("no CONNACK over ssl://h.example:8883: the port accepted TLS, but closed the connection after the"
                + " CONNECT", result.summary());
    }
}
