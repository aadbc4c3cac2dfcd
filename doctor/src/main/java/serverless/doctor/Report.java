package serverless.doctor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints each step's line as soon as the step ends, the "What to do" line under the first failure, and
 * keeps the results for the summary and the support ticket. Everything printed goes through the
 * {@link Redactor}.
 */
final class Report {

    private static final String INDENT = "      ";

    private final PrintStream out;
    private final Redactor redactor;
    private final List<StepResult> results = new ArrayList<>();

    Report(PrintStream out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
    }

    void print(String line) {
        out.println(redactor.redact(line));
    }

    /** Records a result and prints it: its line, its detail lines, and what to do if it is the first failure. */
    void add(StepResult result) {
        boolean firstFailure = result.verdict() == Verdict.FAIL && firstFailure().isEmpty();
        results.add(result);
        print(line(result));
        for (String detail : result.details()) {
            print(INDENT + detail);
        }
        if (firstFailure) {
            result.whatToDo().ifPresent(advice -> print(INDENT + "What to do: " + advice));
        } else if (result.verdict() == Verdict.WARN) {
            result.whatToDo().ifPresent(advice -> print(INDENT + "Note: " + advice));
        }
    }

    /** {@code VERDICT  step  what it saw  (N ms)}; a skipped step has no time. */
    static String line(StepResult result) {
        String time = result.verdict() == Verdict.SKIP || result.took().isZero()
                ? "" : "  (" + result.took().toMillis() + " ms)";
        return String.format("%-4s  %-10s  %s%s", result.verdict(), result.step().label(), result.summary(), time);
    }

    /**
     * The step's verdict for the steps that need it and for the summary: FAIL if any of its results failed,
     * SKIP if it was skipped, WARN if any result warned (a later step may add a warning to an earlier one).
     */
    Verdict verdictOf(Step step) {
        List<Verdict> verdicts = results.stream().filter(r -> r.step() == step).map(StepResult::verdict).toList();
        for (Verdict worst : List.of(Verdict.FAIL, Verdict.SKIP, Verdict.WARN, Verdict.PASS)) {
            if (verdicts.contains(worst)) {
                return worst;
            }
        }
        return Verdict.SKIP;
    }

    /** Why {@code step} cannot be built on: "tls failed", or, for a skipped step, the failure behind it. */
    String rootFailureBehind(Step step) {
        if (verdictOf(step) == Verdict.SKIP) {
            for (Step needed : step.needs()) {
                if (!verdictOf(needed).letsDependentsRun()) {
                    return rootFailureBehind(needed);
                }
            }
        }
        return step.label() + " failed";
    }

    Optional<StepResult> firstFailure() {
        return results.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst();
    }

    List<StepResult> results() {
        return List.copyOf(results);
    }

    /** 0 when no step failed (warnings allowed), 1 otherwise. */
    int exitCode() {
        return firstFailure().isPresent() ? 1 : 0;
    }

    /** The closing line: all passed, or where it failed. */
    String outcome() {
        Optional<StepResult> failure = firstFailure();
        if (failure.isPresent()) {
            return "Result: FAIL at " + failure.get().step().label() + ": " + failure.get().summary();
        }
        long warnings = results.stream().filter(r -> r.verdict() == Verdict.WARN).count();
        return "Result: PASS, every step passed" + (warnings == 0 ? "" : " (" + warnings + " warning"
                + (warnings == 1 ? "" : "s") + ")");
    }
}
