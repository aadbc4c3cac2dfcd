package serverless.doctor;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the steps in order. A step whose prerequisite did not pass is skipped with the reason; an exception
 * a step did not expect becomes a failure with the exact error; warnings a step adds to earlier steps are
 * printed right after its own line.
 */
final class Checkup {

    /** One step's work. */
    @FunctionalInterface
    interface Check {
        StepResult run() throws Exception;
    }

    private Checkup() {
    }

    static void run(Map<Step, Check> checks, Report report, Supplier<Iterable<StepResult>> revisits) {
        for (Step step : Step.values()) {
            Optional<Step> blocker = step.needs().stream()
                    .filter(needed -> !report.verdictOf(needed).letsDependentsRun())
                    .findFirst();
            if (blocker.isPresent()) {
                report.add(StepResult.skip(step, "not run: " + report.rootFailureBehind(blocker.get())));
                continue;
            }
            Check check = checks.get(step);
            if (check == null) {
                report.add(StepResult.skip(step, "not run"));
                continue;
            }
            long start = System.nanoTime();
            StepResult result;
            try {
                result = check.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = StepResult.fail(step, "interrupted", "Run the doctor again.", Causes.exact(e));
            } catch (Exception | LinkageError e) {
                result = StepResult.fail(step, "unexpected error: " + e,
                        "Include the exact error below in a support ticket.", Causes.exact(e));
            }
            report.add(result.took(Duration.ofNanos(System.nanoTime() - start)));
            revisits.get().forEach(report::add);
        }
    }
}
