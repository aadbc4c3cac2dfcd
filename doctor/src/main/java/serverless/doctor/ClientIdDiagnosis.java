package serverless.doctor;

import java.util.Optional;

/**
 * What the mqtt step says about MQTT_CLIENT_ID: over Serverless' 1024 bytes it is not sent (the broker would refuse
 * it, and the user learns more from the reason than from the refusal); 24 to 1024 is a warning, since only 23 is
 * promised everywhere; and a CONNACK 0x85 is explained with both limits.
 */
final class ClientIdDiagnosis {

    private static final String LIMITS = "Serverless accepts client ids of up to " + ClientIds.SERVERLESS_MAX_BYTES
            + " characters (bytes in UTF-8); " + ClientIds.EVERY_BROKER_MAX_BYTES + " letters and digits or fewer is"
            + " what every MQTT broker must accept (MQTT 3.1.1), and some deployments still refuse longer ones over"
            + " MQTT 3.x";

    private ClientIdDiagnosis() {
    }

    /** The failure for MQTT_CLIENT_ID over Serverless' limit, if the connection over {@code transport} would send it. */
    static Optional<StepResult> tooLong(ClientIds ids, String transport) {
        if (!ids.isUsers(transport) || ClientIds.bytes(ids.of(transport)) <= ClientIds.SERVERLESS_MAX_BYTES) {
            return Optional.empty();
        }
        String length = ClientIds.length(ids.of(transport));
        return Optional.of(StepResult.fail(Step.MQTT, "MQTT_CLIENT_ID is " + length + " long, over the "
                        + ClientIds.SERVERLESS_MAX_BYTES + " that Serverless accepts: the broker would refuse it (CONNACK"
                        + " 0x85 client identifier not valid), so the doctor did not send it",
                "Set MQTT_CLIENT_ID, and your client's id, to at most " + ClientIds.SERVERLESS_MAX_BYTES + " characters,"
                        + " best " + ClientIds.EVERY_BROKER_MAX_BYTES + " letters and digits or fewer, which every MQTT"
                        + " broker must accept; or unset MQTT_CLIENT_ID to let the doctor use its own.",
                "MQTT_CLIENT_ID: " + length + ", over Serverless' limit of " + ClientIds.SERVERLESS_MAX_BYTES));
    }

    /**
     * The mqtt step's result when every CONNECT was accepted ({@code accepted} says so): a warning if MQTT_CLIENT_ID is
     * longer than every broker must accept. The deployment took it, but a user's MQTT 3.1.1 client may meet a
     * deployment or broker that does not, so it is worth a note; it does not fail the run.
     */
    static StepResult accepted(ClientIds ids, String accepted) {
        Optional<String> longer = ids.fromUser().filter(id -> ClientIds.bytes(id) > ClientIds.EVERY_BROKER_MAX_BYTES);
        if (longer.isEmpty()) {
            return StepResult.pass(Step.MQTT, accepted);
        }
        return StepResult.warn(Step.MQTT, accepted + ", but MQTT_CLIENT_ID is " + ClientIds.length(longer.get())
                        + " long, over the " + ClientIds.EVERY_BROKER_MAX_BYTES + " every broker must accept",
                "This deployment accepted it. " + LIMITS + " (CONNACK return code 2, identifier rejected): keep"
                        + " MQTT_CLIENT_ID at " + ClientIds.EVERY_BROKER_MAX_BYTES + " or fewer if your clients must"
                        + " connect anywhere.");
    }

    /** The broker refused the client id of the connection over {@code transport} with CONNACK 0x85. */
    static StepResult refused(ClientIds ids, String transport, String uri, String error) {
        String clientId = ids.of(transport);
        String whose = ids.isUsers(transport) ? "MQTT_CLIENT_ID, " : "the doctor's own, ";
        String summary = "the broker refused the client id " + ClientIds.shown(clientId) + " (" + whose
                + ClientIds.length(clientId) + ") over " + uri + ": CONNACK "
                + ReasonCodes.describe(ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID);
        String limits = LIMITS + "; an MQTT 3.1.1 client gets this refusal as return code 2, identifier rejected.";
        String whatToDo = ids.isUsers(transport)
                ? limits + " Set MQTT_CLIENT_ID, and your client's id, to " + ClientIds.EVERY_BROKER_MAX_BYTES
                        + " letters and digits or fewer; if it is already, check the deployment's client id rules in"
                        + " the console."
                // The doctor's own id is 19 characters, so the length is not the cause: the deployment has rules of
                // its own (a broker may refuse characters other than letters and digits, such as the doctor's hyphens).
                : limits + " The doctor's own id is " + ClientIds.length(clientId) + ", so the length is not the"
                        + " cause: check the deployment's client id rules in the console (some refuse characters other"
                        + " than letters and digits).";
        return StepResult.fail(Step.MQTT, summary, whatToDo, error);
    }
}
