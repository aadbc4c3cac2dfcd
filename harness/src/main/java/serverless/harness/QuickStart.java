package serverless.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The quick start, {@code ./mvnw -q package -Pquickstart} from the repository root (the {@code quickstart}
 * profile of harness/pom.xml runs this once every module is packaged): starts a Serverless-like
 * {@link LocalDeployment}, runs every {@link Example} and the doctor against it one after another, each
 * as a user runs it ({@code java -cp <module>/target/<module>.jar <main class>} in a JVM of its own,
 * configured only by MQTT_* variables), prints what each one prints, then a table, stops the broker, and
 * exits non-zero unless every one passed.
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

    public static void main(String[] args) throws Exception {
        LocalDeployment.quietLogging(); // before the broker logs anything
        List<Outcome> outcomes = new ArrayList<>();
        try (LocalDeployment deployment = LocalDeployment.start(LocalDeployment.DEFAULT_HOST)) {
            Map<String, String> variables = deployment.variables();
            System.out.printf("Serverless-like local broker for %s is up: MQTT over TLS on port %s, over WSS on port %s,"
                    + " path %s (Serverless: 8883, 8084, /mqtt).%n", deployment.host(), variables.get("MQTT_PORT"),
                    variables.get("MQTT_WS_PORT"), variables.get("MQTT_WS_PATH"));
            for (Example example : Example.values()) {
                outcomes.add(run(example.program(), example.stack(), example.transport().toString(),
                        exampleVariables(variables, example.transport()), deployment.hostsFile()));
            }
            // The doctor checks both transports: it takes MQTT_PORT, MQTT_WS_PORT and MQTT_WS_PATH.
            outcomes.add(run(JavaProgram.DOCTOR, "Paho, MQTT 5, and JDK TLS checks", "TLS + WSS", variables,
                    deployment.hostsFile()));
            System.out.println();
            System.out.println("Stopping the local broker...");
        }
        System.out.println();
        System.out.print(table(outcomes));
        int exitCode = exitCode(outcomes);
        if (exitCode != 0) {
            // exec:java runs this inside Maven's JVM: System.exit ends Maven with this code (the broker is stopped).
            System.exit(exitCode);
        }
    }

    /** An example takes MQTT_PORT for its own transport, as a user exports it: MQTT_PORT=$MQTT_WS_PORT for WSS. */
    static Map<String, String> exampleVariables(Map<String, String> deployment, Example.Transport transport) {
        Map<String, String> env = new LinkedHashMap<>(deployment);
        String wssPort = env.remove("MQTT_WS_PORT");
        if (transport == Example.Transport.WSS) {
            env.put("MQTT_PORT", wssPort);
        } else {
            env.remove("MQTT_WS_PATH");
        }
        return env;
    }

    /** Runs the program to its end (at most {@link #RUN_BOUND}), printing its lines as they come. */
    private static Outcome run(Program program, String stack, String protocol, Map<String, String> env,
            Path hostsFile) throws IOException, InterruptedException {
        String name = program.module() + " " + program.simpleName();
        System.out.printf("%n== %s (%s over %s): %s%n", name, stack, protocol, program.userCommand());
        // The hosts file makes the test host name resolve to 127.0.0.1 in the program's JVM only, so it sends
        // that name as SNI and checks it against the certificate, exactly as with a real deployment.
        Optional<String> unavailable = program.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println(INDENT + "not run: " + unavailable.get());
            return new Outcome(name, stack, protocol, null, unavailable.get());
        }
        ProcessBuilder builder = program.processBuilder(env, Optional.of(hostsFile));
        long started = System.nanoTime();
        Process process = builder.start();
        StringBuffer stdout = new StringBuffer();
        StringBuffer stderr = new StringBuffer();
        Thread stdoutPump = pump(process.getInputStream(), System.out, stdout);
        Thread stderrPump = pump(process.getErrorStream(), System.err, stderr);
        boolean ended = process.waitFor(RUN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!ended) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        stdoutPump.join(5_000);
        stderrPump.join(5_000);
        RunResult result = new RunResult(ended ? process.exitValue() : -1, stdout.toString(), stderr.toString(),
                took, !ended);
        return new Outcome(name, stack, protocol, result);
    }

    /** Copies the program's lines to {@code console}, indented, as they come, and keeps them in {@code kept}. */
    private static Thread pump(InputStream output, PrintStream console, StringBuffer kept) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, Charset.defaultCharset()))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    console.println(INDENT + line);
                    kept.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "quick-start-output");
        thread.setDaemon(true); // never keeps Maven waiting
        thread.start();
        return thread;
    }

    /** The summary: one row per program, then a line that says whether all passed. */
    static String table(List<Outcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"example", "stack", "protocol", "result", "time"});
        for (Outcome outcome : outcomes) {
            rows.add(new String[] {outcome.example(), outcome.stack(), outcome.protocol(), outcome.verdict(),
                    outcome.ran() ? String.format(Locale.ROOT, "%.1f s", outcome.result().duration().toMillis() / 1000.0) : "-"});
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
}
