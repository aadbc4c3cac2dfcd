package serverless.bench;

/** A setting that is missing or malformed: the bench prints its message as one {@code ERROR:} line and exits 2. */
final class SettingsException extends RuntimeException {

    SettingsException(String message) {
        super(message);
    }
}
