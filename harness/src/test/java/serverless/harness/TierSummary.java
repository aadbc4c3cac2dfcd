package serverless.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The last lines of the integration tests: which tier ran, what it proved of the examples (their round trips, the
 * doctor's healthy run, the browser page, the Node.js, Python and Go unit tests), how many tests passed, were skipped and
 * failed, and the one flag for the complete tier. Registered for the JUnit platform in
 * {@code META-INF/services}; silent outside a tiered run (the unit tests, an IDE).
 */
public final class TierSummary implements TestExecutionListener {

    /** What the everyday tier proves, each a test method of the suite. */
    private static final List<Proof> PROOFS = List.of(
            new Proof("examples did their round trip as their READMEs type them", RoundTripIT.class, "roundTrip"),
            new Proof("single-file starters did their round trip as their READMEs type them", RoundTripIT.class,
                    "starterRoundTrip"),
            new Proof("the doctor's healthy run", DoctorIT.class, "healthyBrokerPassesEveryStep"),
            new Proof("the browser page's round trip", BrowserIT.class, "roundTrip"),
            new Proof("the Node.js, Python and Go unit tests", ModuleUnitTestsIT.class, "unitTestsPass"));

    private record Proof(String what, Class<?> testClass, String method) {
    }

    /** A class that ended as a whole, and how many tests it holds as far as the plan knows them before they run. */
    private record WholeClass(boolean failed, String reason, long tests) {
    }

    private record Outcome(String className, String method, String displayName, TestExecutionResult.Status status,
            String reason) {
    }

    private final ConcurrentLinkedQueue<Outcome> tests = new ConcurrentLinkedQueue<>();
    /** Classes skipped or failed as a whole (a disabled class, a failed {@code @BeforeAll}), by class name. */
    private final Map<String, WholeClass> wholeClasses = new ConcurrentHashMap<>();
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        record(identifier, TestExecutionResult.Status.ABORTED, reason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        record(identifier, result.getStatus(), result.getThrowable().map(Throwable::getMessage).orElse(""));
    }

    private void record(TestIdentifier identifier, TestExecutionResult.Status status, String reason) {
        Optional<org.junit.platform.engine.TestSource> source = identifier.getSource();
        // A test, or a test factory or parameterized test that ended before its tests (an assumption in a factory):
        // counted as one test, as failsafe does not.
        boolean methodThatEndedItself = source.filter(MethodSource.class::isInstance).isPresent()
                && status != TestExecutionResult.Status.SUCCESSFUL;
        if (identifier.isTest() || methodThatEndedItself) {
            String className = source.filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .map(MethodSource::getClassName).orElse("");
            String method = source.filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .map(MethodSource::getMethodName).orElse("");
            tests.add(new Outcome(className, method, identifier.getDisplayName(), status, withoutPrefix(reason)));
        } else if (status != TestExecutionResult.Status.SUCCESSFUL) {
            source.filter(ClassSource.class::isInstance).map(ClassSource.class::cast).ifPresent(type ->
                    wholeClasses.put(type.getClassName(), new WholeClass(status == TestExecutionResult.Status.FAILED,
                            withoutPrefix(reason), plan == null ? 0
                                    : plan.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count())));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Optional<Tier> tier = Tier.ofThisRun();
        if (tier.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(tier.get() == Tier.EVERYDAY
                ? "Everyday tier (./mvnw verify): proves that every example works."
                : "Complete tier (./mvnw verify " + Tier.COMPLETE_FLAG + "): every example works, and every claim about"
                        + " failures, quotas, restarts and brokers holds.");
        PROOFS.forEach(proof -> lines.add("  " + describe(proof)));
        long passed = count(TestExecutionResult.Status.SUCCESSFUL);
        long skipped = count(TestExecutionResult.Status.ABORTED) + testsInWholeClasses(false);
        long failed = count(TestExecutionResult.Status.FAILED) + testsInWholeClasses(true);
        lines.add("  " + (passed + skipped + failed) + " tests: " + passed + " passed, " + skipped + " skipped, " + failed
                + " failed");
        // A skip is not a pass: each reason, once, with how many tests it skipped.
        Map<String, Long> skips = new TreeMap<>();
        tests.stream().filter(outcome -> outcome.status() == TestExecutionResult.Status.ABORTED)
                .forEach(outcome -> skips.merge(outcome.reason(), 1L, Long::sum));
        wholeClasses.forEach((className, whole) -> lines.add("    " + className.substring(className.lastIndexOf('.') + 1)
                + (whole.failed() ? " FAILED as a whole: " : " skipped as a whole (" + whole.tests() + " tests): ")
                + whole.reason()));
        skips.forEach((reason, count) -> lines.add("    skipped " + count + ": " + reason));
        if (tier.get() == Tier.EVERYDAY) {
            lines.add("The complete tier adds every fault, setting, quota, TLS version, restart and broker case, and the"
                    + " bench's smoke test: ./mvnw verify " + Tier.COMPLETE_FLAG);
        }
        System.out.println();
        lines.forEach(line -> System.out.println("[harness] " + line));
    }

    private String describe(Proof proof) {
        List<Outcome> outcomes = tests.stream().filter(outcome -> outcome.className().equals(proof.testClass().getName())
                && outcome.method().equals(proof.method())).toList();
        WholeClass whole = wholeClasses.get(proof.testClass().getName());
        if (outcomes.isEmpty()) {
            return proof.what() + ": " + (whole == null ? "not run" : (whole.failed() ? "FAILED: " : "skipped: ") + whole.reason());
        }
        long passed = outcomes.stream().filter(outcome -> outcome.status() == TestExecutionResult.Status.SUCCESSFUL).count();
        StringBuilder text = new StringBuilder(proof.what() + ": " + passed + " of " + outcomes.size() + " passed");
        outcomes.stream().filter(outcome -> outcome.status() != TestExecutionResult.Status.SUCCESSFUL).forEach(outcome ->
                text.append("; ").append(outcome.displayName())
                        .append(outcome.status() == TestExecutionResult.Status.FAILED ? " FAILED" : " skipped: " + outcome.reason()));
        return text.toString();
    }

    /** A skip's reason as the test gave it, without JUnit's "Assumption failed: ". */
    private static String withoutPrefix(String reason) {
        return reason == null ? "" : reason.replaceFirst("^Assumption failed: ", "");
    }

    private long testsInWholeClasses(boolean failed) {
        return wholeClasses.values().stream().filter(whole -> whole.failed() == failed).mapToLong(WholeClass::tests).sum();
    }

    private long count(TestExecutionResult.Status status) {
        return tests.stream().filter(outcome -> outcome.status() == status).count();
    }
}
