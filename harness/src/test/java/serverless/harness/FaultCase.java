package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;

/**
 * One fault injected into one example's run against one broker, and what must come of it: the example ends
 * within the fault's bound, with its exit code and exactly one line that names the problem (the failure contract,
 * {@link ErrorLineAssertions}). Skipped, with the reason, when the broker cannot show the fault (it does not make
 * that refusal, or is not ours to break).
 */
final class FaultCase {

    private FaultCase() {
    }

    static void check(Example example, Fault fault, Broker broker, TestBed bed, String namePrefix) {
        assumeInjectable(fault, broker);
        ExampleRun run = ExampleRun.of(example, broker, namePrefix + fault.name().toLowerCase(Locale.ROOT) + "-"
                + example.name().toLowerCase(Locale.ROOT));
        injectRunAndCheck(run, fault, ErrorLineAssertions.ExpectedError.of(fault, example), bed);
    }

    /**
     * A single-file starter given the fault: the same contract, but a starter prints its library's own words, so no
     * phrase is promised, and it ends with exit code 1 whatever the fault.
     */
    static void checkStarter(Starter starter, Fault fault, Broker broker, TestBed bed) {
        assumeInjectable(fault, broker);
        ExampleRun run = ExampleRun.of(starter, broker, "starter-" + fault.name().toLowerCase(Locale.ROOT) + "-"
                + starter.name().toLowerCase(Locale.ROOT));
        injectRunAndCheck(run, fault, new ErrorLineAssertions.ExpectedError(1, List.of(), fault.bound()), bed);
    }

    private static void assumeInjectable(Fault fault, Broker broker) {
        assumeTrue(fault.needs().isMetBy(broker), () -> fault + " is not injected: " + broker.lacks(fault.needs()));
    }

    private static void injectRunAndCheck(ExampleRun run, Fault fault, ErrorLineAssertions.ExpectedError expected, TestBed bed) {
        fault.injectInto(run, bed);

        RunResult result = run.execute();

        ErrorLineAssertions.assertEndsInOneErrorLine(result, expected, run.broker().password(),
                () -> fault.boundFromConnecting().ifPresent(bound -> assertTrue(result.sinceFirstLine().compareTo(bound) < 0,
                        "took " + result.sinceFirstLine().toMillis() + " ms from its first line, more than " + bound)));
    }
}
