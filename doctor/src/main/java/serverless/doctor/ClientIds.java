package serverless.doctor;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The client ids of the mqtt step's two connections, which stay open together through the round trip, so they must
 * differ: a second CONNECT with a client id already connected takes that session over and the broker drops the first.
 *
 * <p>With MQTT_CLIENT_ID set, the connection over TLS (ssl://, where most clients connect) uses it exactly as given,
 * and the one over WebSocket keeps the doctor's own id. A user who sets it is debugging that id: a derived one (the id
 * with a suffix) would be longer, and could pass or fail where theirs does not. The limit is the broker's, the same on
 * both listeners, so one connection is enough to test it.
 *
 * @param fromUser MQTT_CLIENT_ID, if set
 * @param doctorsPrefix this run's {@code doctor-<8 hex digits>}; the doctor's own ids add {@code -ssl} or {@code -wss}
 */
record ClientIds(Optional<String> fromUser, String doctorsPrefix) {

    /** Serverless' limit (EMQX's max_clientid_len), which EMQX counts in bytes of UTF-8. */
    static final int SERVERLESS_MAX_BYTES = 1024;
    /** What every broker must accept (MQTT 3.1.1, 3.1.3.1): 1 to 23 bytes of letters and digits. */
    static final int EVERY_BROKER_MAX_BYTES = 23;
    /** Longer ids are shortened in the report: a 1024-character line helps nobody. */
    private static final int SHOWN_MAX_CHARACTERS = 64;

    static final String TLS = "ssl";
    static final String WSS = "wss";

    /** A new run's ids: MQTT_CLIENT_ID if set, and a prefix of 19 characters, e.g. doctor-3f2a9c1d. */
    static ClientIds of(Optional<String> fromUser) {
        return new ClientIds(fromUser, "doctor-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The client id of the connection over {@link #TLS} or {@link #WSS}. */
    String of(String transport) {
        return isUsers(transport) ? fromUser.orElseThrow() : doctorsPrefix + "-" + transport;
    }

    /** Whether that connection uses MQTT_CLIENT_ID. */
    boolean isUsers(String transport) {
        return fromUser.isPresent() && transport.equals(TLS);
    }

    /** The length as the broker counts it: bytes of UTF-8. */
    static int bytes(String clientId) {
        return clientId.getBytes(StandardCharsets.UTF_8).length;
    }

    /** "40 characters", or "30 bytes in UTF-8 (10 characters)" when they differ. */
    static String length(String clientId) {
        int characters = clientId.codePointCount(0, clientId.length());
        int bytes = bytes(clientId);
        return bytes == characters ? characters + " characters" : bytes + " bytes in UTF-8 (" + characters + " characters)";
    }

    /** The id as printed: in full up to 64 characters, else its first 64 and "...". */
    static String shown(String clientId) {
        if (clientId.codePointCount(0, clientId.length()) <= SHOWN_MAX_CHARACTERS) {
            return clientId;
        }
        return clientId.substring(0, clientId.offsetByCodePoints(0, SHOWN_MAX_CHARACTERS)) + "...";
    }

    /** MQTT_CLIENT_ID as the report's first line shows it, e.g. "sensor-0042 (MQTT_CLIENT_ID, 11 characters)". */
    static String shownWithLength(String clientId) {
        return shown(clientId) + " (MQTT_CLIENT_ID, " + length(clientId) + ")";
    }

    /** For the report's first line and the support ticket: each connection's id, and where it came from. */
    String describe(boolean checkWss) {
        String tls = fromUser.map(ClientIds::shownWithLength).orElse(of(TLS)) + " over TLS";
        String wss = checkWss ? ", " + of(WSS) + " over WebSocket" : "";
        return tls + wss + (fromUser.isPresent() ? "" : " (the doctor's own: MQTT_CLIENT_ID not set)");
    }
}
