package serverless.examples.spring;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints a {@link FailureAnalysis} the way every example reports a failure: one line on standard error,
 * {@code ERROR: <what went wrong>. <what to check>.}, and the stack trace only with MQTT_DEBUG=true. Boot's
 * own reporter logs a multi-line block instead; the example's logging is off (application.properties), so
 * that one stays silent. Registered in {@code META-INF/spring.factories}.
 */
public final class OneLineFailureReporter implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        System.err.println("ERROR: " + analysis.getDescription());
        if ("true".equalsIgnoreCase(System.getenv("MQTT_DEBUG"))) {
            analysis.getCause().printStackTrace();
        }
    }
}
