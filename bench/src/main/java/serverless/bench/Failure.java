package serverless.bench;

import java.util.concurrent.ExecutionException;

/** One line for a failure: the innermost cause's message, which names what went wrong (the TLS or MQTT error). */
final class Failure {

    private Failure() {
    }

    static String describe(Throwable error) {
        if (error instanceof SettingsException) {
            return error.getMessage();
        }
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause.getMessage() == null) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String line = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (root != cause) {
            line += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return line.replaceAll("\\s+", " ");
    }
}
