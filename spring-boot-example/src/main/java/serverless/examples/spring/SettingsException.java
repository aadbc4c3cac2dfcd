package serverless.examples.spring;

import org.springframework.boot.ExitCodeGenerator;

/**
 * A missing or malformed setting: the message names the variable and what to put in it. Spring Boot takes the
 * exit code from it ({@link ExitCodeGenerator}, found anywhere in the failure's cause chain): 2, a configuration
 * error, as in every example.
 */
final class SettingsException extends RuntimeException implements ExitCodeGenerator {

    SettingsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int getExitCode() {
        return 2;
    }
}
