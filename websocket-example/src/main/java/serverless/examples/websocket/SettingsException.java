package serverless.examples.websocket;

/** A missing or malformed setting: the message names the variable and what to put in it. */
final class SettingsException extends RuntimeException {
    SettingsException(String message) {
        super(message);
    }
}
