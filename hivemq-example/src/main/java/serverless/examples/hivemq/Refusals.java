package serverless.examples.hivemq;

import java.util.Map;

/**
 * The lines for a message or a subscription the broker refused: an MQTT 5 PUBACK or a SUBACK with a reason code of
 * 0x80 or more, in words, with what to check for it on Serverless.
 */
final class Refusals {

    static final int NOT_AUTHORIZED = 0x87;
    static final int TOPIC_NAME_INVALID = 0x90;
    static final int QUOTA_EXCEEDED = 0x97;
    static final int PAYLOAD_FORMAT_INVALID = 0x99;
    static final int UNSPECIFIED_ERROR = 0x80;
    /** What an MQTT 3.1.1 SUBACK says when it refuses: return code 0x80, and no reason. */
    static final String MQTT3_SUBACK_FAILURE = "0x80 failure";

    /** The refusals a PUBACK or SUBACK may carry (OASIS MQTT 5.0, 3.4.2.1 and 3.9.3). */
    private static final Map<Integer, String> WORDS = Map.ofEntries(
            Map.entry(UNSPECIFIED_ERROR, "unspecified error"),
            Map.entry(0x83, "implementation specific error"),
            Map.entry(NOT_AUTHORIZED, "not authorized"),
            Map.entry(0x8F, "topic filter invalid"),
            Map.entry(TOPIC_NAME_INVALID, "topic name invalid"),
            Map.entry(0x91, "packet identifier in use"),
            Map.entry(QUOTA_EXCEEDED, "quota exceeded"),
            Map.entry(PAYLOAD_FORMAT_INVALID, "payload format invalid"),
            Map.entry(0x9E, "shared subscriptions not supported"),
            Map.entry(0xA1, "subscription identifiers not supported"),
            Map.entry(0xA2, "wildcard subscriptions not supported"));

    private Refusals() {
    }

    /** Message {@code message} (1..N) refused in its MQTT 5 PUBACK with {@code reasonCode}. */
    static String publish(int message, int reasonCode) {
        String refused = String.format("The broker refused message %d with reason code 0x%02X (%s)", message, reasonCode,
                name(reasonCode));
        return switch (reasonCode) {
            case QUOTA_EXCEEDED -> refused + ": this client published faster than the deployment allows (Serverless: 10"
                    + " messages per second per client). Keep MQTT_PUBLISH_RATE at 10 or below.";
            case NOT_AUTHORIZED -> refused + ": the user's ACL does not allow publishing on MQTT_TOPIC. Check the"
                    + " deployment's Authorization page, or set MQTT_TOPIC to a topic the user may publish on.";
            case TOPIC_NAME_INVALID -> refused + ": it does not take MQTT_TOPIC as a topic to publish on. Check MQTT_TOPIC:"
                    + " a plain topic name such as serverless-examples/test, not one that starts with $ (the broker's own).";
            case PAYLOAD_FORMAT_INVALID -> refused + ": it did not take the message's payload. Check what the deployment"
                    + " validates on MQTT_TOPIC (its rules or message validation).";
            case UNSPECIFIED_ERROR -> refused + ", without saying why. Check the deployment's status in the console, and"
                    + " that the user's ACL allows publishing on MQTT_TOPIC (the deployment's Authorization page).";
            default -> refused + ". Check the deployment's status in the console, and give this reason code in a"
                    + " support ticket.";
        };
    }

    /**
     * A subscription to MQTT_TOPIC refused in its SUBACK ({@code suback}: {@link #MQTT3_SUBACK_FAILURE}, or an MQTT 5
     * reason code {@link #named}). On Serverless it is the ACL as often as the subscription quota.
     */
    static String subscription(String suback) {
        return "The broker refused the subscription to MQTT_TOPIC (SUBACK " + suback + ")."
                + " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization page),"
                + " and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic filter.";
    }

    /** "0x8F topic filter invalid": an MQTT 5 reason code and its name. */
    static String named(int reasonCode) {
        return String.format("0x%02X %s", reasonCode, name(reasonCode));
    }

    private static String name(int reasonCode) {
        return WORDS.getOrDefault(reasonCode, "not in MQTT 5's list");
    }
}
