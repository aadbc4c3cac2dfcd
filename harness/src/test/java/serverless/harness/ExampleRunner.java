package serverless.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an example (or the doctor) for a suite, as a user would ({@link RunningProgram}: {@code java -cp
 * <module>.jar <main class>} in its own JVM, or a script with its interpreter, configured only by MQTT_* variables),
 * a few at a time ({@link StartupSlot}), a Java program with the suite's start-up aids unless the run asks for the
 * command as users type it ({@link JvmStart}). Separate JVMs also keep the stacks' clashing Netty versions apart.
 *
 * <p>Each run's output is kept under {@code target/example-runs/} for reading after a failed build.
 */
public final class ExampleRunner {

    /** A backstop far above every bound the examples keep themselves; a run that needs it has hung. */
    public static final Duration HARD_LIMIT = Duration.ofSeconds(90);

    private static final Path RUN_LOGS = Path.of("target", "example-runs");

    private ExampleRunner() {
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

    /** Runs it to its end (or the hard limit). */
    static RunResult run(ExampleRun run) {
        return start(run).awaitResult();
    }

    /**
     * Starts it and returns at once, for tests that act on the broker while it runs. It takes a place among the
     * programs that are starting before its process starts (the wait is not part of its measured time), and gives
     * it back once its "Connected" line comes, it ends, or it goes quiet.
     */
    static RunningProgram start(ExampleRun run) {
        ProcessBuilder builder = processBuilder(run);
        StartupSlot slot = StartupSlot.take();
        try {
            RunningProgram running = RunningProgram.start(builder,
                    RUN_LOGS.resolve(run.clientId().replaceAll("[^A-Za-z0-9._-]+", "_")), HARD_LIMIT,
                    (output, line) -> {
                        if (output == RunningProgram.Output.STANDARD_OUTPUT && line.startsWith("Connected")) {
                            slot.release(); // connected: the expensive part of its start is over
                        }
                    });
            slot.holdWhileStarting(running.handle());
            return running;
        } catch (IOException e) {
            slot.release();
            throw new IllegalStateException("could not run " + run.program(), e);
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    /**
     * The process for one run: the run's variables, the broker's hosts file (which resolves the deployment's name
     * to its broker without touching /etc/hosts), and for a Java program the run's JVM options and, unless it is to
     * start as users type it, the suite's start-up aids ({@link JvmStart#WITH_STARTUP_AIDS}).
     */
    private static ProcessBuilder processBuilder(ExampleRun run) {
        if (!(run.program() instanceof JavaProgram java)) {
            if (!run.jvmOptions().isEmpty()) {
                throw new IllegalArgumentException(run.program() + " is not a Java program: it takes no JVM options");
            }
            return run.program().processBuilder(run.environment(), run.broker().hostsFile());
        }
        List<String> options = new ArrayList<>();
        JavaProgram launched = java;
        if (run.jvmStart() == JvmStart.WITH_STARTUP_AIDS) {
            launched = ClassDataArchives.launchOf(java);
            options.addAll(ClassDataArchives.jvmOptionsOf(launched));
            options.addAll(ClassDataArchives.OF_THIS_RUN.optionsFor(launched));
        }
        run.broker().hostsFile().ifPresent(hosts -> options.add("-Djdk.net.hosts.file=" + hosts));
        options.addAll(run.jvmOptions());
        return launched.processBuilder(options, run.environment());
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
        private void watch(ProcessHandle process) {
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
        void holdWhileStarting(ProcessHandle process) {
            process.onExit().thenRun(this::release);
            watch(process);
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
}
