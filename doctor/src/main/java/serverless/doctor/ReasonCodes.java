package serverless.doctor;

import java.util.Map;

/**
 * MQTT 5 reason codes in words (OASIS MQTT 5.0, section 2.4), and what a Serverless user should check for
 * the ones a CONNACK, SUBACK or PUBACK can carry.
 */
final class ReasonCodes {

    static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    static final int NOT_AUTHORIZED = 0x87;
    static final int QUOTA_EXCEEDED = 0x97;

    private static final Map<Integer, String> WORDS = Map.ofEntries(
            Map.entry(0x00, "success"),
            Map.entry(0x01, "granted QoS 1"),
            Map.entry(0x02, "granted QoS 2"),
            Map.entry(0x10, "no matching subscribers"),
            Map.entry(0x80, "unspecified error"),
            Map.entry(0x81, "malformed packet"),
            Map.entry(0x82, "protocol error"),
            Map.entry(0x83, "implementation specific error"),
            Map.entry(0x84, "unsupported protocol version"),
            Map.entry(CLIENT_IDENTIFIER_NOT_VALID, "client identifier not valid"),
            Map.entry(BAD_USER_NAME_OR_PASSWORD, "bad user name or password"),
            Map.entry(NOT_AUTHORIZED, "not authorized"),
            Map.entry(0x88, "server unavailable"),
            Map.entry(0x89, "server busy"),
            Map.entry(0x8A, "banned"),
            Map.entry(0x8C, "bad authentication method"),
            Map.entry(0x8F, "topic filter invalid"),
            Map.entry(0x90, "topic name invalid"),
            Map.entry(0x91, "packet identifier in use"),
            Map.entry(0x95, "packet too large"),
            Map.entry(QUOTA_EXCEEDED, "quota exceeded"),
            Map.entry(0x99, "payload format invalid"),
            Map.entry(0x9A, "retain not supported"),
            Map.entry(0x9B, "QoS not supported"),
            Map.entry(0x9C, "use another server"),
            Map.entry(0x9D, "server moved"),
            Map.entry(0x9E, "shared subscriptions not supported"),
            Map.entry(0x9F, "connection rate exceeded"),
            Map.entry(0xA1, "subscription identifiers not supported"),
            Map.entry(0xA2, "wildcard subscriptions not supported"));

    private ReasonCodes() {
    }

    /** Whether Paho's exception code is a reason code the server sent (0x80 and up), not one of Paho's own. */
    static boolean fromServer(int code) {
        return code >= 0x80 && code <= 0xFF;
    }

    /** "0x86 bad user name or password". */
    static String describe(int code) {
        return String.format("0x%02X %s", code, WORDS.getOrDefault(code, "(reason code not in MQTT 5)"));
    }

    /**
     * What to check when the CONNACK refused the connection with {@code code}. 0x85 client identifier not valid has a
     * diagnosis of its own ({@link ClientIdDiagnosis#refused}), which knows whose id it was.
     */
    static String connackAdvice(int code, boolean usernameSet) {
        if (!usernameSet && (code == BAD_USER_NAME_OR_PASSWORD || code == NOT_AUTHORIZED)) {
            return "Serverless has no anonymous access: export MQTT_USERNAME and MQTT_PASSWORD with a user from the"
                    + " deployment's Authentication page (Access Control -> Authentication).";
        }
        return switch (code) {
            case BAD_USER_NAME_OR_PASSWORD -> "Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's"
                    + " Authentication page (Access Control -> Authentication); both are case-sensitive.";
            case NOT_AUTHORIZED -> "Check that MQTT_USERNAME exists on this deployment (Access Control ->"
                    + " Authentication), with this password, and that no ACL or ban refuses it.";
            case 0x88, 0x89, 0x97, 0x9F -> "The deployment refused for capacity: check in the console that it is"
                    + " running and within its quota (sessions, connection rate), then try again.";
            case 0x8A -> "This client or user is banned on the deployment: check Access Control -> Blacklist.";
            default -> "Include the reason code and the exact error below in a support ticket.";
        };
    }

    /**
     * What to check when the SUBACK refused the subscription to {@code topic}: on Serverless the ACL as often as the
     * subscription quota (a client's 11th subscription, a filter of more than 10 levels), whatever its code says.
     */
    static String subackAdvice(String topic) {
        int levels = topic.split("/", -1).length; // as EMQX counts them: empty levels too
        return "The user's ACL must allow subscribing to " + topic + ": check the deployment's Authorization page, or set"
                + " MQTT_TOPIC to a topic the user may use. Serverless also refuses a subscription over its quota: at most"
                + " 10 subscriptions per client and 10 levels per topic filter (" + topic + " has " + levels + ").";
    }

    /** What to check when the PUBACK refused the round trip's message to {@code topic} with {@code code}. */
    static String pubackAdvice(int code, String topic) {
        if (code == QUOTA_EXCEEDED) {
            // EMQX (5.9 and later) answers 0x97 to an MQTT 5 PUBLISH over the client's rate; the doctor publishes
            // once, from a client id of its own, so the quota is the deployment's.
            return "The deployment refused the message for a quota. It takes at most 10 messages per second from"
                    + " one client (Serverless) and refuses the rest, but the doctor sent a single message: check in"
                    + " the console whether the deployment as a whole is over its message rate or another quota."
                    + " Keep each of your own clients at 10 messages per second or below (the examples pace"
                    + " themselves with MQTT_PUBLISH_RATE).";
        }
        return "The user's ACL must allow publishing to " + topic + ": check the deployment's Authorization page,"
                + " or set MQTT_TOPIC to a topic the user may use.";
    }
}
