package serverless.examples.quarkus;

/**
 * A missing or malformed setting: the message names the variable and what to put in it. An
 * IllegalArgumentException, which is what SmallRye Config expects a converter to throw for a bad value.
 */
final class SettingsException extends IllegalArgumentException {
    SettingsException(String message) {
        super(message);
    }
}
