package serverless.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The quick start, {@code ./mvnw -q package -Pquickstart} from the repository root (the {@code quickstart}
 * profile of the root pom.xml builds only the harness, and harness/pom.xml's runs this): packages the Java
 * examples and the doctor ({@link ExampleBuild}, one line per module), starts a Serverless-like
 * {@link LocalDeployment}, runs every {@link Example}, every {@link Starter} and the doctor against it one after
 * another, each as a user
 * runs it ({@code java -cp <module>/target/<module>.jar <main class>} in a JVM of its own, configured only by
 * MQTT_* variables), prints what each one prints, then a table, stops the broker, and exits non-zero unless every
 * one that ran passed.
 */
public final class QuickStart {

    /** Far above what the programs bound themselves to (an example ends within ~30 s, the doctor too): a hang. */
    static final Duration RUN_BOUND = Duration.ofSeconds(60);
    private static final String INDENT = "    ";

    private QuickStart() {
    }

    /**
     * One row of the table: a program that ran, and how it ended; or one that could not run here (its runtime
     * is not installed), with the reason. A program that did not run is reported, never counted as passed.
     */
    record Outcome(String example, String stack, String protocol, RunResult result, String notRunReason) {

        Outcome(String example, String stack, String protocol, RunResult result) {
            this(example, stack, protocol, result, null);
        }

        boolean ran() {
            return result != null;
        }

        /** The examples' and the doctor's contract: exit code 0 means it worked, anything else that it did not. */
        boolean passed() {
            return ran() && !result.timedOut() && result.exitCode() == 0;
        }

        String verdict() {
            if (!ran()) {
                return "not run";
            }
            if (result.timedOut()) {
                return "FAILED (killed after " + RUN_BOUND.toSeconds() + " s)";
            }
            return passed() ? "passed" : "FAILED (exit " + result.exitCode() + ")";
        }
    }

    /**
     * {@code args}, from harness/pom.xml, say how the Maven that runs this resolves, for the one it starts:
     * {@code offline=true|false} and {@code localRepository=<folder>}.
     */
    public static void main(String[] args) throws Exception {
        LocalDeployment.quietLogging(); // before the broker logs anything
        System.out.println("Quick start: build the examples, start a Serverless-like broker on this machine, run each"
                + " example against it.");
        // Maven builds on one core. Meanwhile, one after another on the other, the broker starts (some 10 CPU-seconds:
        // its test PKI, HiveMQ) and the Node.js and Python examples' dependencies install, printing nothing.
        ExecutorService meanwhile = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "quick-start-meanwhile");
            thread.setDaemon(true); // never keeps Maven waiting
            return thread;
        });
        Future<LocalDeployment> starting = meanwhile.submit(() -> LocalDeployment.start(LocalDeployment.HOST));
        Stream.concat(Arrays.stream(Example.values()).map(Example::program), Arrays.stream(Starter.values()).map(Starter::program))
                .filter(program -> !(program instanceof JavaProgram))
                // A program that is not a jar installs what it needs on first use: once, here; its run gets the answer.
                .forEach(program -> meanwhile.submit(program::unavailableReason));
        boolean built = build(args);
        try (LocalDeployment deployment = started(starting)) {
            exitNow(deployment, built ? runAll(deployment) : 1);
        }
    }

    /** Packages the Java examples and the doctor ({@link ExampleBuild}); false, with what went wrong printed, if it failed. */
    private static boolean build(String[] args) throws IOException, InterruptedException {
        Map<String, String> maven = Arrays.stream(args).map(arg -> arg.split("=", 2)).filter(pair -> pair.length == 2)
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        Path root = Program.repositoryRoot().toAbsolutePath().normalize();
        Path log = root.resolve("harness/target/quickstart-build.log");
        System.out.println("Building the Java examples and the doctor, tests skipped (Maven's output: "
                + root.relativize(log) + "):");
        return ExampleBuild.run(ExampleBuild.command(root, System.getProperty("os.name").startsWith("Windows"),
                Boolean.parseBoolean(maven.get("offline")), maven.get("localRepository"), ExampleBuild.modules()),
                root, log, ExampleBuild.BOUND, System.out);
    }

    /**
     * Runs every example, every single-file starter and the doctor against the deployment, one after another, prints
     * the table; the exit code.
     */
    private static int runAll(LocalDeployment deployment) throws IOException {
        System.out.printf("Serverless-like local broker for %s is up: MQTT over TLS on port %s, over WSS on port %s,"
                + " path %s (Serverless: 8883, 8084, /mqtt).%n", deployment.host(), deployment.tlsPort(),
                deployment.wssPort(), deployment.wsPath());
        List<Outcome> outcomes = new ArrayList<>();
        for (Example example : Example.values()) {
            outcomes.add(run(example.program(), example.stack(), example.transport().toString(),
                    deployment.endpoint().variablesFor(example.transport()), deployment.hostsFile()));
        }
        // Each single-file starter reads only the deployment's address, port, user and CA file.
        for (Starter starter : Starter.values()) {
            outcomes.add(run(starter.program(), starter.stack(), starter.transport().toString(),
                    deployment.endpoint().starterVariables(starter.transport()), deployment.hostsFile()));
        }
        // The doctor checks both transports: it takes MQTT_PORT, MQTT_WS_PORT and MQTT_WS_PATH.
        outcomes.add(run(JavaProgram.DOCTOR, "Paho, MQTT 5, and JDK TLS checks", "TLS + WSS",
                deployment.endpoint().variables(), deployment.hostsFile()));
        System.out.println();
        System.out.println("Stopping the local broker...");
        System.out.println();
        System.out.print(table(outcomes));
        return exitCode(outcomes);
    }

    /** The deployment once started: usually long before the build ends (it takes some seconds, HiveMQ at most 60). */
    private static LocalDeployment started(Future<LocalDeployment> starting) throws Exception {
        try {
            return starting.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the local broker did not start within 3 minutes", e);
        }
    }

    /**
     * Ends the quick start (and, under exec:java, Maven) with {@code exitCode}: closes the broker's ports and deletes
     * its folder, but leaves HiveMQ's graceful stop (3 to 4 s of waiting) to the JVM's exit.
     */
    private static void exitNow(LocalDeployment deployment, int exitCode) {
        System.out.flush();
        deployment.closeAsTheJvmExits();
        System.exit(exitCode);
    }

    /**
     * Runs the program to its end (at most {@link #RUN_BOUND}), printing its lines as they come; they are also kept in
     * {@code harness/target/quickstart-runs/}.
     */
    private static Outcome run(Program program, String stack, String protocol, Map<String, String> env,
            Optional<Path> hostsFile) throws IOException {
        String name = program.module() + " " + program.simpleName();
        System.out.printf("%n== %s (%s over %s): %s%n", name, stack, protocol, program.userCommand());
        Optional<String> unavailable = program.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println(INDENT + "not run: " + unavailable.get());
            return new Outcome(name, stack, protocol, null, unavailable.get());
        }
        // The hosts file makes the test host name resolve to 127.0.0.1 in the program's JVM only, so it sends
        // that name as SNI and checks it against the certificate, exactly as with a real deployment.
        Path logs = Program.repositoryRoot().resolve("harness/target/quickstart-runs")
                .resolve(program.module() + "-" + program.simpleName());
        RunResult result = RunningProgram.start(program.processBuilder(env, hostsFile), logs, RUN_BOUND,
                (output, line) -> (output == RunningProgram.Output.STANDARD_ERROR ? System.err : System.out)
                        .println(INDENT + line)).awaitResult();
        return new Outcome(name, stack, protocol, result);
    }

    /** The summary: one row per program, then a line that says whether all passed. */
    static String table(List<Outcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"example", "stack", "protocol", "result", "time"});
        for (Outcome outcome : outcomes) {
            rows.add(new String[] {outcome.example(), outcome.stack(), outcome.protocol(), outcome.verdict(),
                    outcome.ran() ? seconds(outcome.result().duration()) : "-"});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s", row[i])).append("  ");
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        List<String> failed = outcomes.stream().filter(outcome -> outcome.ran() && !outcome.passed()).map(Outcome::example).toList();
        List<Outcome> notRun = outcomes.stream().filter(outcome -> !outcome.ran()).toList();
        long passed = outcomes.stream().filter(Outcome::passed).count();
        if (failed.isEmpty() && notRun.isEmpty() && passed > 0) {
            table.append("All ").append(outcomes.size()).append(" passed.\n");
        } else {
            if (!failed.isEmpty()) {
                table.append(failed.size()).append(" of ").append(outcomes.size()).append(" FAILED: ")
                        .append(String.join(", ", failed)).append(" (their output is above).\n");
            }
            table.append(passed).append(" of ").append(outcomes.size()).append(" passed.\n");
            notRun.forEach(outcome -> table.append("Not run: ").append(outcome.example()).append(": ")
                    .append(outcome.notRunReason()).append(".\n"));
        }
        return table.toString();
    }

    /**
     * 0 only when something ran and everything that ran passed; 1 otherwise. A program whose runtime is not
     * installed (e.g. Python on a Java-only machine) is listed as not run but does not fail the quick start.
     */
    static int exitCode(List<Outcome> outcomes) {
        List<Outcome> ran = outcomes.stream().filter(Outcome::ran).toList();
        return !ran.isEmpty() && ran.stream().allMatch(Outcome::passed) ? 0 : 1;
    }

    /** A run's time to a tenth of a second; one that took less (a Go binary) is not shown as "0.0 s". */
    static String seconds(Duration duration) {
        return duration.toMillis() < 100 ? "< 0.1 s" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
