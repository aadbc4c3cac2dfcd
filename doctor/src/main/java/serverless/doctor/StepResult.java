package serverless.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one step saw: the verdict, one line of what it saw, optional detail lines (the certificate chain),
 * for a failure what to do and the exact error, and how long it took.
 */
record StepResult(
        Step step,
        Verdict verdict,
        String summary,
        List<String> details,
        Optional<String> whatToDo,
        Optional<String> error,
        Duration took) {

    StepResult {
        details = List.copyOf(details);
    }

    static StepResult pass(Step step, String summary) {
        return new StepResult(step, Verdict.PASS, summary, List.of(), Optional.empty(), Optional.empty(), Duration.ZERO);
    }

    static StepResult warn(Step step, String summary, String whatToDo) {
        return new StepResult(step, Verdict.WARN, summary, List.of(), Optional.ofNullable(whatToDo), Optional.empty(),
                Duration.ZERO);
    }

    static StepResult fail(Step step, String summary, String whatToDo, String error) {
        return new StepResult(step, Verdict.FAIL, summary, List.of(), Optional.of(whatToDo), Optional.ofNullable(error),
                Duration.ZERO);
    }

    static StepResult skip(Step step, String reason) {
        return new StepResult(step, Verdict.SKIP, reason, List.of(), Optional.empty(), Optional.empty(), Duration.ZERO);
    }

    StepResult withDetails(List<String> more) {
        List<String> all = new ArrayList<>(details);
        all.addAll(more);
        return new StepResult(step, verdict, summary, all, whatToDo, error, took);
    }

    StepResult took(Duration duration) {
        return new StepResult(step, verdict, summary, details, whatToDo, error, duration);
    }
}
