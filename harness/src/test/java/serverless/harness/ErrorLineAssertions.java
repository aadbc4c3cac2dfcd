package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/**
 * What a failed run must have shown (CONTRIBUTING.md, "Output and exit codes"): exactly one line, starting
 * {@code ERROR: }, with the phrases its case promises; an end within its case's bound; no message back; never the
 * password; and, for a program, its own end (not killed) with exit code 1, or 2 for a setting. The success contract
 * is {@link RoundTripAssertions}. Each caller may add checks of its own, reported with these and the transcript.
 */
final class ErrorLineAssertions {

    /** What one failure case promises: the exit code, the phrases the line must contain (in any case), how soon it ends. */
    record ExpectedError(int exitCode, List<String> phrases, Duration bound) {

        /** What a fault case promises for {@code example}, from the program's start. */
        static ExpectedError of(Fault fault, Example example) {
            return new ExpectedError(fault.exitCode(), fault.phrases(example), fault.bound(example));
        }
    }

    /**
     * A run as the contract reads it, a program's or the browser page's: what it showed as its error (a program's
     * standard error, the page's error line), what it reported on its way (standard output, the page's steps),
     * everything it showed (where no password may be), how long it took, and all of it for assertion messages.
     */
    record Output(String error, List<String> progressLines, String everything, Duration took, String transcript) {

        static Output of(RunResult result) {
            return new Output(result.stderr(), result.stdoutLines(), result.stdout() + "\n" + result.stderr(),
                    result.duration(), result.transcript());
        }
    }

    private ErrorLineAssertions() {
    }

    /** A program's failed run: the contract, with its exit code and its own end, and the caller's checks. */
    static void assertEndsInOneErrorLine(RunResult result, ExpectedError expected, String password, Executable... alsoTrue) {
        List<Executable> programChecks = List.of(
                () -> assertFalse(result.timedOut(), "the program hung"),
                () -> assertEquals(expected.exitCode(), result.exitCode(), "exit code"));
        assertShowsOneErrorLine(Output.of(result), expected.phrases(), expected.bound(), password,
                Stream.concat(programChecks.stream(), Stream.of(alsoTrue)).toArray(Executable[]::new));
    }

    /** Any failed run, a program's or the browser page's: the contract but for what only a process has. */
    static void assertShowsOneErrorLine(Output run, List<String> phrases, Duration bound, String password,
            Executable... alsoTrue) {
        String error = run.error();
        List<String> errorLines = error.lines().filter(line -> !line.isBlank()).toList();
        String lowerCase = error.toLowerCase(Locale.ROOT);
        List<Executable> checks = new ArrayList<>(List.of(
                () -> assertTrue(run.took().compareTo(bound) < 0, "took " + run.took().toMillis() + " ms, longer than " + bound),
                () -> assertEquals(1, errorLines.size(), "exactly one error line"),
                () -> assertTrue(error.startsWith("ERROR: "), "the line starts with ERROR:"),
                () -> assertTrue(run.progressLines().stream().noneMatch(progress -> progress.contains("Received")),
                        "no message may come back"),
                () -> assertFalse(run.everything().contains(password), "the password must never be shown")));
        phrases.forEach(phrase -> checks.add(
                () -> assertTrue(lowerCase.contains(phrase.toLowerCase(Locale.ROOT)), "the line says: " + phrase)));
        checks.addAll(List.of(alsoTrue));
        assertAll(run.transcript(), checks);
    }
}
