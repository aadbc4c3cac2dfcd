package serverless.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program started as a user starts it, until its end: what the quick start and the test suites both run programs
 * with. Its standard output and error are copied line by line, as they come, to two files ({@code <logs>.out},
 * {@code <logs>.err}: readable after the run, and while it runs) and to a {@link LineWatcher}; {@link #awaitResult()}
 * waits for its end, or kills it at its bound (a program past it has hung), and says how it ended.
 */
public final class RunningProgram {

    /** Which of a program's two outputs a line came on. */
    public enum Output { STANDARD_OUTPUT, STANDARD_ERROR }

    /** Sees every line a program prints, as it prints it (on the thread that copies that output). */
    @FunctionalInterface
    public interface LineWatcher {
        LineWatcher NONE = (output, line) -> { };

        void line(Output output, String line);
    }

    private final Process process;
    private final long startNanos;
    private final Duration bound;
    private final Path stdout;
    private final Path stderr;
    /** When the process ended, taken as it ends: runs awaited one after another keep their own times. */
    private final CompletableFuture<Long> endNanos;
    /** When the first line on standard output was complete (an example's "Connecting to ..."). */
    private final CompletableFuture<Long> firstLineNanos = new CompletableFuture<>();
    private final Thread stdoutCopy;
    private final Thread stderrCopy;

    private RunningProgram(Process process, long startNanos, Duration bound, Path logs, LineWatcher watcher)
            throws IOException {
        this.process = process;
        this.startNanos = startNanos;
        this.bound = bound;
        this.stdout = logs.resolveSibling(logs.getFileName() + ".out");
        this.stderr = logs.resolveSibling(logs.getFileName() + ".err");
        this.endNanos = process.onExit().thenApply(ended -> System.nanoTime());
        this.stdoutCopy = copy(process.getInputStream(), Output.STANDARD_OUTPUT, stdout, watcher);
        this.stderrCopy = copy(process.getErrorStream(), Output.STANDARD_ERROR, stderr, watcher);
    }

    /**
     * Starts {@code process}; its output goes to {@code <logs>.out} and {@code <logs>.err} (their folder is made if
     * need be) and to {@code watcher}; after {@code bound} it is killed.
     */
    public static RunningProgram start(ProcessBuilder process, Path logs, Duration bound, LineWatcher watcher)
            throws IOException {
        Files.createDirectories(logs.toAbsolutePath().getParent());
        return new RunningProgram(process.start(), System.nanoTime(), bound, logs, watcher);
    }

    /** Copies one output to its file and its watcher, line by line as they come. */
    private Thread copy(InputStream from, Output output, Path file, LineWatcher watcher) throws IOException {
        Writer to = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8)); to) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    to.write(line + "\n");
                    to.flush();
                    if (output == Output.STANDARD_OUTPUT) {
                        firstLineNanos.complete(System.nanoTime()); // only the first completes it
                    }
                    watcher.line(output, line);
                }
            } catch (IOException e) {
                // the process is gone: what was copied is what there is
            }
        }, output + " of " + file.getFileName());
        thread.setDaemon(true); // never keeps a JVM (or Maven, under exec:java) waiting
        thread.start();
        return thread;
    }

    /** The process, for watching its CPU time and its end. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the program has printed on standard output so far. */
    public String stdoutSoFar() {
        return read(stdout);
    }

    /** Waits for the program's end, at most until its bound from its start (then kills it), and says how it ended. */
    public RunResult awaitResult() {
        try {
            boolean ended = process.waitFor(bound.toMillis() - elapsed().toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            // The pipes close with the process.
            stdoutCopy.join(TimeUnit.SECONDS.toMillis(5));
            stderrCopy.join(TimeUnit.SECONDS.toMillis(5));
            Duration elapsed = elapsed();
            long firstLine = firstLineNanos.getNow(startNanos);
            return new RunResult(ended ? process.exitValue() : -1, read(stdout), read(stderr), elapsed, !ended,
                    elapsed.minusNanos(firstLine - startNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + process, e);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(endNanos.getNow(System.nanoTime()) - startNanos);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
