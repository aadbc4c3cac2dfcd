package serverless.harness;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quick start's first step: packages the Java examples and the doctor with the repository's own Maven wrapper,
 * in a Maven of its own: {@code ./mvnw -B -ntp -Dmaven.test.skip=true -Dmaven.jar.forceCreation=true package -pl
 * <modules>}, tests neither compiled nor run. Maven's output goes to a log file; the console gets one line per
 * module as Maven starts building it, and on failure the log's last lines.
 */
final class ExampleBuild {

    /** Far above a build with Maven's cache warm (under a minute); a first build also downloads some 200 MB. */
    static final Duration BOUND = Duration.ofMinutes(20);
    static final int TAIL_LINES = 30;
    /** Maven's header for each module: {@code [INFO] Building paho-example 1.0.0-SNAPSHOT       [1/7]}. */
    private static final Pattern BUILDING = Pattern.compile("\\[INFO\\] Building (.+) \\S+ +\\[(\\d+)/(\\d+)\\]");

    private ExampleBuild() {
    }

    /** The modules of the Java programs the quick start runs, in the order it runs them: the examples, then the doctor. */
    static List<String> modules() {
        Set<String> modules = new LinkedHashSet<>();
        for (Example example : Example.values()) {
            if (example.program() instanceof JavaProgram java) {
                modules.add(java.module());
            }
        }
        modules.add(JavaProgram.DOCTOR.module());
        return List.copyOf(modules);
    }

    /**
     * The command: the wrapper ({@code mvnw.cmd} on Windows), in batch mode, offline when the Maven that runs the
     * quick start is ({@code -o}), with its local repository when known. {@code maven.jar.forceCreation}: without
     * it a second build would shade the examples' shaded jars again, which the jar plugin takes as up to date.
     */
    static List<String> command(Path root, boolean windows, boolean offline, String localRepository, List<String> modules) {
        List<String> command = new ArrayList<>(List.of(root.resolve(windows ? "mvnw.cmd" : "mvnw").toString(),
                "-B", "-ntp", "-Dmaven.test.skip=true", "-Dmaven.jar.forceCreation=true"));
        if (offline) {
            command.add("-o");
        }
        if (localRepository != null && !localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(List.of("package", "-pl", String.join(",", modules)));
        return command;
    }

    /** The console's line for one of Maven's: {@code   building paho-example (1 of 7)} for its header of a module. */
    static Optional<String> progressLine(String mavenLine) {
        Matcher building = BUILDING.matcher(mavenLine.strip());
        return building.matches()
                ? Optional.of("  building " + building.group(1) + " (" + building.group(2) + " of " + building.group(3) + ")")
                : Optional.empty();
    }

    /**
     * Runs {@code command} in {@code directory}, its output to {@code log} and its progress lines to {@code console},
     * for at most {@code bound}, then kills it. True if it ended with exit code 0; otherwise the console has why,
     * the log's last {@link #TAIL_LINES} lines and its path.
     */
    static boolean run(List<String> command, Path directory, Path log, Duration bound, PrintStream console)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.nanoTime();
        Process maven = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        maven.getOutputStream().close(); // batch mode: it asks nothing
        Thread pump = new Thread(() -> copy(maven, String.join(" ", command), log, console), "quick-start-build-output");
        pump.setDaemon(true);
        pump.start();
        boolean ended = maven.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            List<ProcessHandle> descendants = maven.descendants().toList(); // mvnw.cmd's Maven is a grandchild
            maven.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        pump.join(10_000);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        if (ended && maven.exitValue() == 0) {
            console.printf("Built in %d s.%n", seconds);
            return true;
        }
        console.println(ended ? "The build failed (exit " + maven.exitValue() + ", after " + seconds + " s). Its last lines:"
                : "The build did not end within " + bound.toSeconds() + " s and was stopped. Its last lines:");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(line -> console.println("    " + line));
        console.println("Maven's whole output: " + log.toAbsolutePath());
        return false;
    }

    /** Copies Maven's lines to the log (the command first), flushed line by line, and its progress lines to the console. */
    private static void copy(Process maven, String commandLine, Path log, PrintStream console) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(maven.getInputStream(), Charset.defaultCharset()));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            out.write("$ " + commandLine);
            out.newLine();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.write(line);
                out.newLine();
                out.flush(); // the log is whole even if Maven is killed
                progressLine(line).ifPresent(console::println);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + log, e);
        }
    }
}
