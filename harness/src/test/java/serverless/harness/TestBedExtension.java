package serverless.harness;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests the run's shared {@link TestBed} and its {@link Broker}: one broker for the whole run. */
public final class TestBedExtension implements BeforeEachCallback, ParameterResolver {

    /**
     * Sets the bed up before the test's parameters are resolved, so that a broker that cannot run here
     * (-Dbroker=emqx without Docker) skips the test with its reason instead of failing parameter resolution.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        TestBed.of(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestBed.class || type == Broker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestBed bed = TestBed.of(context);
        return parameter.getParameter().getType() == TestBed.class ? bed : bed.broker();
    }
}
