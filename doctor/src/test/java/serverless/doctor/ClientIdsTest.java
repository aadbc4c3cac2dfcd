package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientIdsTest {

    @Test
    void withoutMqttClientIdBothConnectionsUseTheDoctorsOwnIdsWithinTheLimitOfEveryBroker() {
        ClientIds ids = ClientIds.of(Optional.empty());

        assertTrue(ids.doctorsPrefix().matches("doctor-[0-9a-f]{8}"), ids.doctorsPrefix());
        assertEquals(ids.doctorsPrefix() + "-ssl", ids.of(ClientIds.TLS));
        assertEquals(ids.doctorsPrefix() + "-wss", ids.of(ClientIds.WSS));
        assertTrue(ids.of(ClientIds.WSS).length() <= ClientIds.EVERY_BROKER_MAX_BYTES, ids.of(ClientIds.WSS));
        assertFalse(ids.isUsers(ClientIds.TLS));
    }

    @Test
    void mqttClientIdIsUsedExactlyOverTlsAndTheWebSocketConnectionKeepsADifferentOne() {
        ClientIds ids = ClientIds.of(Optional.of("sensor-0042"));

        assertEquals("sensor-0042", ids.of(ClientIds.TLS));
        assertTrue(ids.isUsers(ClientIds.TLS));
        assertFalse(ids.isUsers(ClientIds.WSS));
        assertNotEquals(ids.of(ClientIds.TLS), ids.of(ClientIds.WSS), "one id on two connections: each would take"
                + " the other's session over");
        assertTrue(ids.of(ClientIds.WSS).startsWith("doctor-"), ids.of(ClientIds.WSS));
    }

    @Test
    void settingsReadMqttClientIdAndAnEmptyValueCountsAsNotSet() {
        assertEquals(Optional.of("sensor-0042"), Settings.from(Map.of("MQTT_HOST", "h.example",
                "MQTT_CLIENT_ID", "sensor-0042"), true).clientIds().fromUser());
        assertEquals(Optional.empty(), Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_CLIENT_ID", ""), true)
                .clientIds().fromUser());
        assertEquals(Optional.empty(), Settings.from(Map.of("MQTT_HOST", "h.example", "MQTT_CLIENT_ID", "  "), true)
                .clientIds().fromUser());
    }

    @Test
    void theLengthIsCountedInBytesOfUtf8AsTheBrokerCountsIt() {
        assertEquals(23, ClientIds.bytes("a".repeat(23)));
        assertEquals(24, ClientIds.bytes("é".repeat(12)));
        assertEquals("23 characters", ClientIds.length("a".repeat(23)));
        assertEquals("24 bytes in UTF-8 (12 characters)", ClientIds.length("é".repeat(12)));
    }

    @Test
    void aLongIdIsShownByItsStartAndLength() {
        String sixtyFour = "c".repeat(64);

        assertEquals(sixtyFour, ClientIds.shown(sixtyFour));
        assertEquals(sixtyFour + "...", ClientIds.shown(sixtyFour + "c".repeat(961)));
        assertEquals(sixtyFour + "... (MQTT_CLIENT_ID, 1025 characters)",
                ClientIds.shownWithLength(sixtyFour + "c".repeat(961)));
    }

    @Test
    void theDescriptionNamesEachConnectionsIdAndWhereItCameFrom() {
        ClientIds own = new ClientIds(Optional.empty(), "doctor-3f2a9c1d");
        ClientIds users = new ClientIds(Optional.of("sensor-0042"), "doctor-3f2a9c1d");

        assertEquals("doctor-3f2a9c1d-ssl over TLS, doctor-3f2a9c1d-wss over WebSocket (the doctor's own:"
                + " MQTT_CLIENT_ID not set)", own.describe(true));
        assertEquals("sensor-0042 (MQTT_CLIENT_ID, 11 characters) over TLS, doctor-3f2a9c1d-wss over WebSocket",
                users.describe(true));
        assertEquals("sensor-0042 (MQTT_CLIENT_ID, 11 characters) over TLS", users.describe(false));
    }
}
