package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Node.js and Python examples' own unit tests ({@code npm test}, {@code python -m unittest}), run on every build
 * beside the Java modules' (which Maven runs itself), with the dependencies the harness installs from their lock
 * files. Skipped, with the reason, where the runtime is not installed.
 */
@Timeout(120)
class ScriptUnitTestsIT {

    private static final long BOUND_SECONDS = 90;

    static Stream<ScriptProgram> scriptModules() {
        return Stream.of(Example.values()).map(Example::program).filter(ScriptProgram.class::isInstance)
                .map(ScriptProgram.class::cast).distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scriptModules")
    void unitTestsPass(ScriptProgram program) throws IOException, InterruptedException {
        program.skipReason().ifPresent(Assumptions::abort);
        Path output = Files.createDirectories(Path.of("target", "example-runs")).resolve(program.module() + "-unit-tests.out");

        Process process = program.unitTestProcessBuilder().redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);

        String transcript = program.unitTestCommand() + "\n" + printed;
        assertTrue(ended, () -> "did not end within " + BOUND_SECONDS + " s: " + transcript);
        assertEquals(0, process.exitValue(), () -> "the unit tests failed: " + transcript);
        System.out.println("[harness] " + program.module() + ": unit tests passed (" + program.unitTestCommand() + "): "
                + summary(printed));
    }

    /** The runner's own count: node's "# pass N" and "# fail N", Python's "Ran N tests". */
    private static String summary(String printed) {
        List<String> counts = printed.lines().map(String::strip)
                .filter(line -> line.matches("# (tests|pass|fail|skipped) \\d+") || line.matches("Ran \\d+ tests? in .*"))
                .toList();
        return counts.isEmpty() ? "(no count printed)" : String.join(", ", counts);
    }
}
