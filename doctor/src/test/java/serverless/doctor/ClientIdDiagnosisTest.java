package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientIdDiagnosisTest {

    private static final String URI = "ssl://h.example:8883";

    private static ClientIds users(String clientId) {
        return new ClientIds(Optional.of(clientId), "doctor-3f2a9c1d");
    }

    private static void assertSays(String text, String... phrases) {
        for (String phrase : phrases) {
            assertTrue(text.contains(phrase), "no '" + phrase + "' in: " + text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 23, 1024})
    void upTo1024BytesIsSent(int length) {
        assertEquals(Optional.empty(), ClientIdDiagnosis.tooLong(users("c".repeat(length)), ClientIds.TLS));
    }

    @Test
    void over1024BytesIsAFailureThatNamesTheVariableTheLimitsAndWhatToSet() {
        StepResult result = ClientIdDiagnosis.tooLong(users("c".repeat(1025)), ClientIds.TLS).orElseThrow();

        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals(Step.MQTT, result.step());
        assertTrue(result.summary().startsWith("MQTT_CLIENT_ID is 1025 characters long, over the 1024 that Serverless"
                + " accepts"), result.summary());
        assertSays(result.summary(), "did not send it", "0x85");
        assertSays(result.whatToDo().orElseThrow(), "Set MQTT_CLIENT_ID", "at most 1024", "23", "unset");
        assertFalse(result.summary().contains("ccccc"), "the id itself, 1025 characters, is not repeated");
    }

    @Test
    void theLimitIsCountedInBytesSoFewerCharactersCanBeOverIt() {
        StepResult result = ClientIdDiagnosis.tooLong(users("é".repeat(513)), ClientIds.TLS).orElseThrow();

        assertSays(result.summary(), "MQTT_CLIENT_ID is 1026 bytes in UTF-8 (513 characters) long");
    }

    @Test
    void theDoctorsOwnIdsAreNeverTooLong() {
        assertEquals(Optional.empty(), ClientIdDiagnosis.tooLong(users("c".repeat(1025)), ClientIds.WSS));
        assertEquals(Optional.empty(), ClientIdDiagnosis.tooLong(ClientIds.of(Optional.empty()), ClientIds.TLS));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 23})
    void anAcceptedIdOfAtMost23BytesPasses(int length) {
        StepResult result = ClientIdDiagnosis.accepted(users("c".repeat(length)), "CONNACK 0x00 success as u over " + URI);

        assertEquals(StepResult.pass(Step.MQTT, "CONNACK 0x00 success as u over " + URI), result);
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 1024})
    void anAcceptedIdOver23BytesIsAWarningThat23IsSafeEverywhere(int length) {
        StepResult result = ClientIdDiagnosis.accepted(users("c".repeat(length)), "CONNACK 0x00 success as u over " + URI);

        assertEquals(Verdict.WARN, result.verdict());
        assertEquals("CONNACK 0x00 success as u over " + URI + ", but MQTT_CLIENT_ID is " + length + " characters long,"
                + " over the 23 every broker must accept", result.summary());
        assertSays(result.whatToDo().orElseThrow(), "accepted it", "1024", "23 letters and digits", "MQTT 3.1.1",
                "keep MQTT_CLIENT_ID at 23 or fewer");
    }

    @Test
    void theDoctorsOwnIdsNeedNoWarning() {
        assertEquals(Verdict.PASS, ClientIdDiagnosis.accepted(ClientIds.of(Optional.empty()), "accepted").verdict());
    }

    @Test
    void aRefusalOfMqttClientIdNamesTheVariableTheLimitsAndTheMqtt311Code() {
        StepResult result = ClientIdDiagnosis.refused(users("sensor-0042"), ClientIds.TLS, URI, "the exact error");

        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals("the broker refused the client id sensor-0042 (MQTT_CLIENT_ID, 11 characters) over " + URI
                + ": CONNACK 0x85 client identifier not valid", result.summary());
        assertSays(result.whatToDo().orElseThrow(), "1024", "23 letters and digits", "return code 2",
                "identifier rejected", "Set MQTT_CLIENT_ID", "client id rules");
        assertEquals(Optional.of("the exact error"), result.error());
    }

    @Test
    void aRefusalOfTheDoctorsOwnIdSaysTheLengthIsNotTheCause() {
        ClientIds ids = new ClientIds(Optional.of("sensor-0042"), "doctor-3f2a9c1d");

        StepResult result = ClientIdDiagnosis.refused(ids, ClientIds.WSS, "wss://h.example:8084/mqtt", "x");

        assertTrue(result.summary().startsWith("the broker refused the client id doctor-3f2a9c1d-wss (the doctor's"
                + " own, 19 characters)"), result.summary());
        assertSays(result.whatToDo().orElseThrow(), "the length is not the cause", "client id rules");
    }

    @Test
    void theMqttStepTurnsConnack0x85IntoTheClientIdDiagnosis() {
        Settings settings = Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_USERNAME", "u",
                "MQTT_CLIENT_ID", "sensor-0042"), true);

        StepResult result = MqttChecks.diagnose(settings, URI, new MqttException(ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID));

        assertTrue(result.summary().startsWith("the broker refused the client id sensor-0042 (MQTT_CLIENT_ID"),
                result.summary());
    }

    /**
     * The whole mqtt step with an over-long MQTT_CLIENT_ID: the connection over TLS is never attempted (its port is
     * one nobody listens on, so an attempt would say "connection refused" instead), and the one over WebSocket is
     * still tried with the doctor's own id.
     */
    @Test
    void theMqttStepDoesNotSendAnOverLongIdAndStillTriesTheOtherConnection() throws Exception {
        Map<String, String> variables = new HashMap<>(Map.of("MQTT_HOST", "localhost", "MQTT_USERNAME", "u",
                "MQTT_PORT", String.valueOf(closedPort()), "MQTT_WS_PORT", String.valueOf(closedPort())));
        variables.put("MQTT_CLIENT_ID", "c".repeat(1025));
        Settings settings = Settings.from(variables, true);

        StepResult result;
        try (Findings findings = new Findings(settings, Trust.of(Optional.empty()))) {
            result = new MqttChecks(findings).mqtt();
        }

        assertEquals(Verdict.FAIL, result.verdict());
        assertTrue(result.summary().startsWith("MQTT_CLIENT_ID is 1025 characters long"), result.summary());
        List<String> details = result.details();
        assertEquals(2, details.size(), details.toString());
        assertEquals(settings.tlsUri() + " as " + ClientIds.shown("c".repeat(1025))
                + ": not connected, MQTT_CLIENT_ID is too long", details.get(0));
        assertTrue(details.get(1).startsWith(settings.wssUri() + " as " + settings.clientIds().of(ClientIds.WSS) + ": "),
                details.get(1));
    }

    /** A port that was free a moment ago: nothing listens on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
