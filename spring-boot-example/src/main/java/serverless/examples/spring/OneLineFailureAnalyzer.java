package serverless.examples.spring;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Spring Boot's own place for explaining why an application did not run: every failure, from a bad setting to
 * a refused password, becomes one {@link FailureAnalysis} whose description is the line the user sees
 * ({@link Failures}). First in order, so that Boot's own analyzers (a binding error's multi-line report) do not
 * get to it. Registered in {@code META-INF/spring.factories}; {@link OneLineFailureReporter} prints it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class OneLineFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        ExampleFailure exampleFailure = Failures.find(failure, ExampleFailure.class);
        MqttSettings settings = exampleFailure == null ? null : exampleFailure.settings();
        return new FailureAnalysis(Failures.describe(failure, settings), null, failure);
    }
}
