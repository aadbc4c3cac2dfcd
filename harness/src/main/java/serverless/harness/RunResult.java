package serverless.harness;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What one run of an example produced: its exit code, its output, and how long it took: in all, and from its
 * first line on standard output (an example prints "Connecting to ..." just before it connects) to its end,
 * which is the time it spent on its own, without its JVM's start-up.
 */
public record RunResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut,
        Duration sinceFirstLine) {

    /** A result whose first line's time was not taken: {@link #sinceFirstLine()} is the whole run. */
    public RunResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {
        this(exitCode, stdout, stderr, duration, timedOut, duration);
    }

    public List<String> stdoutLines() {
        return lines(stdout);
    }

    public List<String> stderrLines() {
        return lines(stderr);
    }

    /** For assertion messages: everything the example printed. */
    public String transcript() {
        return "exit code " + exitCode + (timedOut ? " (killed: did not end in time)" : "") + " after "
                + duration.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R")).filter(line -> !line.isBlank()).toList();
    }
}
