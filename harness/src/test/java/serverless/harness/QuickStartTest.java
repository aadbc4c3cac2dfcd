package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serverless.harness.QuickStart.Outcome;

/**
 * The quick start without building or running any example: its build's command and console lines (a shell stands
 * in for Maven), and its verdict: the table marks every run that did not pass, and one such run makes the exit
 * code (Maven's, through exec:java) non-zero. The examples themselves are proven by the suite.
 */
class QuickStartTest {

    private static Outcome outcome(String example, int exitCode, boolean timedOut) {
        return new Outcome(example, "Paho, MQTT 3.1.1", "TLS",
                new RunResult(exitCode, "", "", Duration.ofMillis(1_234), timedOut));
    }

    @Test
    void allPassedIsExitCodeZero() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                outcome("doctor Doctor", 0, false));

        assertEquals(0, QuickStart.exitCode(outcomes));
        String table = QuickStart.table(outcomes);
        assertTrue(table.endsWith("All 2 passed.\n"), table);
        assertFalse(table.contains("FAILED"), table);
    }

    @Test
    void oneFailedRunMakesTheExitCodeNonZeroAndIsMarkedInTheTable() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                outcome("vertx-example VertxExample", 1, false), outcome("doctor Doctor", 0, false));

        assertEquals(1, QuickStart.exitCode(outcomes));
        List<String> lines = QuickStart.table(outcomes).lines().toList();
        assertEquals(List.of("example", "stack", "protocol", "result", "time"), List.of(lines.get(0).split("\\s{2,}")));
        assertEquals(List.of("vertx-example VertxExample", "Paho, MQTT 3.1.1", "TLS", "FAILED (exit 1)", "1.2 s"),
                List.of(lines.get(2).split("\\s{2,}")));
        assertTrue(lines.get(1).contains("passed") && lines.get(3).contains("passed"), String.join("\n", lines));
        assertEquals("1 of 3 FAILED: vertx-example VertxExample (their output is above).", lines.get(4));
    }

    @Test
    void aRunKilledAtTheBoundFailsEvenThoughItsExitCodeWasNotOne() {
        List<Outcome> outcomes = List.of(outcome("hivemq-example HiveMqExample", 0, true));

        assertEquals(1, QuickStart.exitCode(outcomes));
        assertTrue(QuickStart.table(outcomes).contains("FAILED (killed after 60 s)"), QuickStart.table(outcomes));
    }

    @Test
    void aProgramWhoseRuntimeIsMissingIsListedAsNotRunAndNeverCountedAsPassed() {
        List<Outcome> outcomes = List.of(outcome("paho-example PahoExample", 0, false),
                new Outcome("python-example example.py", "paho-mqtt, MQTT 3.1.1", "TLS", null,
                        "python3 is not installed; python-example needs Python 3.10 or newer"));

        assertEquals(0, QuickStart.exitCode(outcomes), "what ran passed");
        List<String> lines = QuickStart.table(outcomes).lines().toList();
        assertEquals(List.of("python-example example.py", "paho-mqtt, MQTT 3.1.1", "TLS", "not run", "-"),
                List.of(lines.get(2).split("\\s{2,}")));
        assertEquals("1 of 2 passed.", lines.get(3));
        assertEquals("Not run: python-example example.py: python3 is not installed; python-example needs Python 3.10"
                + " or newer.", lines.get(4));
    }

    @Test
    void aRunUnderATenthOfASecondIsNotShownAsNoTimeAtAll() {
        assertEquals("< 0.1 s", QuickStart.seconds(Duration.ofMillis(48)));
        assertEquals("0.1 s", QuickStart.seconds(Duration.ofMillis(100)));
        assertEquals("1.2 s", QuickStart.seconds(Duration.ofMillis(1234)));
    }

    @Test
    void nothingRunIsNotAPass() {
        assertEquals(1, QuickStart.exitCode(List.of()));
    }

    @Test
    void theBuildPackagesTheModulesOfTheJavaProgramsInTheOrderTheyRun() {
        assertEquals(List.of("paho-example", "hivemq-example", "vertx-example", "websocket-example", "spring-boot-example",
                "quarkus-example", "doctor"), ExampleBuild.modules());
    }

    /** Maven refuses a -pl module that is not in its reactor: each is a module of the root pom's default profile. */
    @Test
    void everyModuleItBuildsIsOneOfTheRootPomsModules() throws IOException {
        String rootPom = Files.readString(Program.repositoryRoot().resolve("pom.xml"));
        for (String module : ExampleBuild.modules()) {
            assertTrue(rootPom.contains("<module>" + module + "</module>"), module);
        }
    }

    @Test
    void eachModuleMavenStartsIsOneShortLineAndNothingElseOfMavensIs() {
        assertEquals(Optional.of("  building paho-example (1 of 7)"),
                ExampleBuild.progressLine("[INFO] Building paho-example 1.0.0-SNAPSHOT                               [1/7]"));
        assertEquals(Optional.of("  building A name with spaces (12 of 12)"),
                ExampleBuild.progressLine("[INFO] Building A name with spaces 2.1 [12/12]"));
        for (String other : List.of("[INFO] Building jar: /repo/paho-example/target/paho-example.jar",
                "[INFO] --- compiler:3.16.0:compile (default-compile) @ doctor ---", "[INFO] BUILD SUCCESS",
                "[WARNING] paho-example.jar define 146 overlapping classes and resources: ", "")) {
            assertEquals(Optional.empty(), ExampleBuild.progressLine(other), other);
        }
    }

    @Test
    void theBuildIsTheWrapperInBatchModeWithNoTestCompiledNorRunAndOfflineWhenTheQuickStartsMavenIs() {
        Path root = Path.of("/repo");
        assertEquals(List.of(root.resolve("mvnw").toString(), "-B", "-ntp", "-Dmaven.test.skip=true",
                "-Dmaven.jar.forceCreation=true", "package", "-pl", "paho-example,doctor"),
                ExampleBuild.command(root, false, false, null, List.of("paho-example", "doctor")));
        assertEquals(List.of(root.resolve("mvnw.cmd").toString(), "-B", "-ntp", "-Dmaven.test.skip=true",
                "-Dmaven.jar.forceCreation=true", "-o", "-Dmaven.repo.local=/m2/repository", "package", "-pl", "doctor"),
                ExampleBuild.command(root, true, true, "/m2/repository", List.of("doctor")));
    }

    @Test
    void aBuildThatPassesPrintsOnlyItsProgressAndItsTimeAndLogsEverything(@TempDir Path folder) throws Exception {
        assumeFalse(windows(), "a POSIX shell stands in for Maven");
        Path log = folder.resolve("target/build.log");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        boolean built = ExampleBuild.run(List.of("sh", "-c", "echo '[INFO] Building a 1.0 [1/2]'; echo '[INFO] chatter';"
                + " echo '[WARNING] warning' >&2; echo '[INFO] Building b 1.0 [2/2]'"), folder, log, Duration.ofSeconds(30),
                new PrintStream(console, true, StandardCharsets.UTF_8));

        assertTrue(built);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("  building a (1 of 2)", "  building b (2 of 2)"), lines.subList(0, 2), String.join("\n", lines));
        assertTrue(Pattern.matches("Built in \\d+ s\\.", lines.get(2)), lines.get(2));
        assertEquals(3, lines.size(), String.join("\n", lines));
        List<String> logged = Files.readAllLines(log);
        assertTrue(logged.get(0).startsWith("$ sh -c "), logged.get(0));
        assertEquals(List.of("[INFO] Building a 1.0 [1/2]", "[INFO] chatter", "[WARNING] warning", "[INFO] Building b 1.0 [2/2]"),
                logged.subList(1, logged.size()));
    }

    @Test
    void aBuildThatFailsShowsTheLastThirtyLinesOfItsLogAndWhereTheLogIs(@TempDir Path folder) throws Exception {
        assumeFalse(windows(), "a POSIX shell stands in for Maven");
        Path log = folder.resolve("build.log");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        boolean built = ExampleBuild.run(List.of("sh", "-c", "i=1; while [ $i -le 40 ]; do echo \"line $i\"; i=$((i+1)); done;"
                + " exit 3"), folder, log, Duration.ofSeconds(30), new PrintStream(console, true, StandardCharsets.UTF_8));

        assertFalse(built);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("The build failed (exit 3, after "), lines.get(0));
        assertEquals("    line 11", lines.get(1));
        assertEquals("    line 40", lines.get(30));
        assertEquals("Maven's whole output: " + log.toAbsolutePath(), lines.get(31));
        assertEquals(32, lines.size());
    }

    /** A hung build is killed at its bound, the shell's own children too (they hold its output open). */
    @Test
    void aBuildThatHangsIsKilledAtItsBoundAndSaysSo(@TempDir Path folder) throws Exception {
        assumeFalse(windows(), "a POSIX shell stands in for Maven");
        Path log = folder.resolve("build.log");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long started = System.nanoTime();

        boolean built = ExampleBuild.run(List.of("sh", "-c", "echo started; sleep 600; echo never"), folder, log,
                Duration.ofSeconds(1), new PrintStream(console, true, StandardCharsets.UTF_8));

        assertFalse(built);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(9)) < 0,
                "the shell's sleep was left holding the output open");
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("The build did not end within 1 s and was stopped. Its last lines:",
                "    $ sh -c echo started; sleep 600; echo never", "    started",
                "Maven's whole output: " + log.toAbsolutePath()), lines);
    }

    private static boolean windows() {
        return System.getProperty("os.name").startsWith("Windows");
    }
}
