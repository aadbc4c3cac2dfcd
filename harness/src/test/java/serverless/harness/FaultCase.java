package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assumeTrue(fault.needs().isMetBy(broker), () -> fault + " is not injected: " + broker.lacks(fault.needs()));
        ExampleRun run = ExampleRun.of(example, broker, namePrefix + fault.name().toLowerCase(Locale.ROOT) + "-"
                + example.name().toLowerCase(Locale.ROOT));
        fault.injectInto(run, bed);

        RunResult result = run.execute();

        ErrorLineAssertions.assertEndsInOneErrorLine(result,
                ErrorLineAssertions.ExpectedError.of(fault, example), broker.password(),
                () -> fault.boundFromConnecting().ifPresent(bound -> assertTrue(result.sinceFirstLine().compareTo(bound) < 0,
                        "took " + result.sinceFirstLine().toMillis() + " ms from its first line, more than " + bound)));
    }
}
