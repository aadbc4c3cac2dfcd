package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import serverless.harness.RunningProgram.LineWatcher;

/**
 * The own unit tests of the modules Maven does not build ({@code npm test}, {@code python -m unittest},
 * {@code go test ./...}: {@link Program#unitTests()}), run on every build beside the Java modules' (which Maven runs
 * itself), with the dependencies the harness installs from their lock files. Skipped, with the reason, where the
 * runtime is not installed.
 */
@Timeout(120)
class ModuleUnitTestsIT {

    private static final Duration BOUND = Duration.ofSeconds(90);

    static Stream<Program> modulesWithTheirOwnUnitTests() {
        return Stream.of(Example.values()).map(Example::program).filter(program -> program.unitTests().isPresent())
                .distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modulesWithTheirOwnUnitTests")
    void unitTestsPass(Program program) throws IOException {
        program.skipReason().ifPresent(Assumptions::abort);

        Program.UnitTests unitTests = program.unitTests().orElseThrow();
        RunResult result = RunningProgram.start(unitTests.process(),
                Path.of("target", "example-runs", program.module() + "-unit-tests"), BOUND, LineWatcher.NONE).awaitResult();

        String transcript = unitTests.command() + "\n" + result.transcript();
        assertFalse(result.timedOut(), () -> "did not end within " + BOUND.toSeconds() + " s: " + transcript);
        assertEquals(0, result.exitCode(), () -> "the unit tests failed: " + transcript);
        // Node's runner and go test report on standard output, Python's unittest on standard error.
        System.out.println("[harness] " + program.module() + ": unit tests passed (" + unitTests.command() + "): "
                + summary(result.stdout() + result.stderr()));
    }

    /** The runner's own count: node's "# pass N" and "# fail N", Python's "Ran N tests", go test's "ok <package> <time>". */
    private static String summary(String printed) {
        List<String> counts = printed.lines().map(String::strip)
                .filter(line -> line.matches("# (tests|pass|fail|skipped) \\d+") || line.matches("Ran \\d+ tests? in .*")
                        || line.matches("ok\\s+\\S+\\s+(\\d+(\\.\\d+)?s|\\(cached\\)).*"))
                .toList();
        return counts.isEmpty() ? "(no count printed)" : String.join(", ", counts);
    }
}
