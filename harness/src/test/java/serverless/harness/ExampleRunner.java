package serverless.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an example (or the doctor) as a user would: {@code java -cp <module>.jar <main class>} in its own
 * JVM, configured only by MQTT_* environment variables. Separate JVMs also keep the stacks' clashing Netty
 * versions apart.
 *
 * <p>Each run's output is kept under {@code target/example-runs/} for reading after a failed build.
 */
public final class ExampleRunner {

    /** A backstop far above every bound the examples keep themselves; a run that needs it has hung. */
    public static final Duration HARD_LIMIT = Duration.ofSeconds(90);

    private static final Path RUN_LOGS = Path.of("target", "example-runs");
    /** Set once per test run by {@link TestBed}; until then, programs run without archives. */
    private static volatile ClassDataArchives classData = new ClassDataArchives(Path.of("target", "class-data"));

    private ExampleRunner() {
    }

    /** From now on, every program's classes are archived in {@code directory} and mapped by its runs. */
    static void archiveClassData(Path directory, Collection<ExampleRun> trainingRuns) {
        ClassDataArchives archives = new ClassDataArchives(directory);
        archives.prepare(trainingRuns);
        classData = archives;
    }

    /** Waits until the archives started by {@link #archiveClassData} are made. */
    static void awaitClassData() {
        classData.awaitPrepared();
    }

    /** How a Java program's JVM is started. */
    public enum JvmStart {
        /**
         * With the suite's start-up aids, which change how fast the JVM starts, not what it runs: the program's
         * class-data archive, the C1 compiler and the serial collector, and a Spring Boot jar in Spring Boot's
         * extracted layout (its classes inside the executable jar's nested jars cannot be archived) with the bean
         * definitions generated at build time ({@link ClassDataArchives#jvmOptionsOf}).
         */
        WITH_STARTUP_AIDS,
        /** Exactly the command users type ({@link Program#userCommand()}), plus only the run's own JVM options. */
        AS_USERS_TYPE_IT
    }

    /** Runs the program to its end (or the hard limit). */
    public static RunResult run(Program program, Map<String, String> env, List<String> jvmOptions, JvmStart jvmStart,
            Broker broker, String runName) {
        return start(program, env, jvmOptions, jvmStart, broker, runName).awaitResult();
    }

    /** Starts the program and returns at once, for tests that act on the broker while it runs. */
    public static Running start(Program program, Map<String, String> env, List<String> jvmOptions, JvmStart jvmStart,
            Broker broker, String runName) {
        try {
            Files.createDirectories(RUN_LOGS);
            String safeName = runName.replaceAll("[^A-Za-z0-9._-]+", "_");
            Path stdout = RUN_LOGS.resolve(safeName + ".out");
            Path stderr = RUN_LOGS.resolve(safeName + ".err");
            // Only what the test sets: nothing from the developer's own MQTT_* or JAVA_TOOL_OPTIONS.
            // Standard output goes through a pipe, so that the time of its first line is taken as it comes.
            ProcessBuilder builder = processBuilder(program, env, jvmOptions, jvmStart, broker).redirectError(stderr.toFile());
            StartupSlot slot = StartupSlot.take();
            try {
                return new Running(builder.start(), System.nanoTime(), stdout, stderr, slot);
            } catch (IOException | RuntimeException e) {
                slot.release();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + program, e);
        }
    }

    /**
     * The process for one run. The broker's hosts file resolves the test deployment's host name to this machine
     * without touching /etc/hosts, so the program sends it as SNI and checks it against the certificate exactly
     * as with a real deployment. A Java program also gets, unless it is to start as users type it, the suite's
     * start-up aids ({@link JvmStart#WITH_STARTUP_AIDS}).
     */
    private static ProcessBuilder processBuilder(Program program, Map<String, String> env, List<String> jvmOptions,
            JvmStart jvmStart, Broker broker) {
        if (!(program instanceof JavaProgram java)) {
            if (!jvmOptions.isEmpty()) {
                throw new IllegalArgumentException(program + " is not a Java program: it takes no JVM options");
            }
            return program.processBuilder(env, broker.hostsFile());
        }
        List<String> options = new ArrayList<>();
        JavaProgram launched = java;
        if (jvmStart == JvmStart.WITH_STARTUP_AIDS) {
            launched = ClassDataArchives.launchOf(java);
            options.addAll(ClassDataArchives.jvmOptionsOf(launched));
            options.addAll(classData.optionsFor(launched));
        }
        broker.hostsFile().ifPresent(hosts -> options.add("-Djdk.net.hosts.file=" + hosts));
        options.addAll(jvmOptions);
        return launched.processBuilder(options, env);
    }

    /**
     * One of a few places for programs that are busy starting. Starting is what costs CPU: a JVM loading its
     * classes, a framework building its context, a TLS handshake. Started all at once by the suites running
     * side by side, programs on a two-core machine would each take several times as long as alone, and every
     * time bound a test checks would measure the crowd, not the program. So a run takes a place before its
     * process starts (the wait is not part of its measured time) and gives it back as soon as the program
     * has connected (its "Connected" line), has ended, or has gone quiet: used less than a tenth of a CPU in
     * the last half second, because it is waiting on the network (a silent server, a timeout under test).
     */
    static final class StartupSlot {
        /** One per core, and one more: a start also waits on the network, while the CPU serves another. */
        private static final Semaphore SLOTS = new Semaphore(Runtime.getRuntime().availableProcessors() + 1, true);
        private static final Duration LOOK_EVERY = Duration.ofMillis(500);
        /** CPU time in {@link #LOOK_EVERY} below which a program counts as waiting, not starting. */
        private static final Duration QUIET = Duration.ofMillis(50);
        /** A backstop, should the CPU time of a process be unreadable on some system. */
        private static final Duration HELD_AT_MOST = Duration.ofSeconds(30);
        private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "startup-slots");
            thread.setDaemon(true);
            return thread;
        });
        private final AtomicBoolean released = new AtomicBoolean();
        private final long takenNanos = System.nanoTime();
        private volatile ScheduledFuture<?> watching;

        static StartupSlot take() {
            SLOTS.acquireUninterruptibly();
            return new StartupSlot();
        }

        /** From now on, gives the place back once {@code process} goes quiet (or after the backstop). */
        private void watch(Process process) {
            Duration[] lastCpu = {Duration.ZERO};
            watching = WATCH.scheduleWithFixedDelay(() -> {
                Optional<Duration> cpu = process.info().totalCpuDuration();
                boolean quiet = cpu.isPresent() && cpu.get().minus(lastCpu[0]).compareTo(QUIET) < 0
                        && lastCpu[0].compareTo(Duration.ZERO) > 0;
                cpu.ifPresent(now -> lastCpu[0] = now);
                if (quiet || Duration.ofNanos(System.nanoTime() - takenNanos).compareTo(HELD_AT_MOST) > 0) {
                    release();
                }
            }, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            if (released.get()) {
                watching.cancel(false); // it ended before the watch began
            }
        }

        /** Holds this place while {@code process} starts: until it ends or goes quiet (or its "Connected" line). */
        void holdWhileStarting(Process process) {
            process.onExit().thenRun(this::release);
            watch(process);
        }

        boolean isReleased() {
            return released.get();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                SLOTS.release();
                ScheduledFuture<?> watch = watching;
                if (watch != null) {
                    watch.cancel(false);
                }
            }
        }
    }

    /** A program that is running; {@link #awaitResult()} waits for its end, at most {@link #HARD_LIMIT}. */
    public static final class Running {
        private final Process process;
        private final long startNanos;
        private final Path stdout;
        private final Path stderr;
        /** When the process ended, taken as it ends: runs awaited one after another keep their own times. */
        private final CompletableFuture<Long> endNanos;
        /** When the first line on standard output was complete, taken by the thread that copies it to its file. */
        private final CompletableFuture<Long> firstLineNanos = new CompletableFuture<>();
        private final Thread stdoutCopy;
        private final StartupSlot slot;
        /** What came on standard output while the program was starting: enough to see its "Connected" line. */
        private final StringBuilder startOfOutput = new StringBuilder();

        private Running(Process process, long startNanos, Path stdout, Path stderr, StartupSlot slot) throws IOException {
            this.process = process;
            this.startNanos = startNanos;
            this.stdout = stdout;
            this.stderr = stderr;
            this.slot = slot;
            this.endNanos = process.onExit().thenApply(ended -> System.nanoTime());
            slot.holdWhileStarting(process);
            OutputStream file = Files.newOutputStream(stdout);
            this.stdoutCopy = new Thread(() -> copy(process.getInputStream(), file), "stdout of " + stdout.getFileName());
            stdoutCopy.setDaemon(true);
            stdoutCopy.start();
        }

        /** Copies the program's standard output to its file as it comes, and takes the time of the first newline. */
        private void copy(InputStream from, OutputStream to) {
            byte[] buffer = new byte[8192];
            try (from; to) {
                for (int read; (read = from.read(buffer)) != -1; ) {
                    to.write(buffer, 0, read);
                    to.flush();
                    for (int i = 0; i < read && !firstLineNanos.isDone(); i++) {
                        if (buffer[i] == '\n') {
                            firstLineNanos.complete(System.nanoTime());
                        }
                    }
                    if (!slot.isReleased()) {
                        startOfOutput.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        if (startOfOutput.indexOf("\nConnected") >= 0) {
                            slot.release(); // connected: the expensive part of its start is over
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone: what was copied is what there is
            }
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** What the program has printed so far. */
        public String stdoutSoFar() {
            try {
                return Files.readString(stdout, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + stdout, e);
            }
        }

        public RunResult awaitResult() {
            try {
                boolean ended = process.waitFor(HARD_LIMIT.toMillis() - elapsed().toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                stdoutCopy.join(TimeUnit.SECONDS.toMillis(5)); // the pipe closes with the process
                Duration elapsed = elapsed();
                long firstLine = firstLineNanos.getNow(startNanos);
                return new RunResult(ended ? process.exitValue() : -1, stdoutSoFar(),
                        Files.readString(stderr, StandardCharsets.UTF_8), elapsed, !ended,
                        elapsed.minusNanos(firstLine - startNanos));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the output of " + process, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for " + process, e);
            }
        }

        private Duration elapsed() {
            return Duration.ofNanos(endNanos.getNow(System.nanoTime()) - startNanos);
        }
    }
}
