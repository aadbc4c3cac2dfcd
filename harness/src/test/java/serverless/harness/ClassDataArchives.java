package serverless.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import serverless.harness.broker.Folders;

/**
 * Class-data sharing archives for the programs the suite runs, made once per test run. Most of an
 * example's start-up is loading and verifying the classes of its client library, Netty and the JDK's TLS;
 * a JVM that maps them from an archive starts with less CPU (measured here, a round trip: Paho 0.72 CPU-s
 * instead of 0.9, a HiveMQ-client example 0.97 instead of 1.5), and the suite starts some two hundred of
 * them on two cores.
 *
 * <p>Each program's archive is written by one round trip of its own against the run's broker, which loads
 * its settings, TLS, MQTT and client classes; its output is thrown away. Every later run of that program
 * maps the archive. The programs are still their packaged jars, run as users run them: an archive changes
 * how fast the JVM starts, not what it runs. A Spring Boot jar runs in the extracted layout Spring Boot
 * recommends for production ({@link #launchOf}); {@link RoundTripIT} proves the plain commands. A program
 * whose archive could not be made simply runs without one.
 */
final class ClassDataArchives {

    /** The JVM options every run of a program uses: archives must be made and used with the same ones. */
    static final List<String> JVM_OPTIONS = List.of(
            // Short-lived JVMs: the C1 compiler alone and the serial collector start fastest.
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            // Since 17.0.x the JVM maps archives at a random address and rewrites every pointer in them (ASLR),
            // which touches each page of a ~30 MB archive: a HiveMQ-client example took 9,500 page faults to
            // print a settings error with its archive, 4,100 when mapped where it was made (5,500 with no
            // archive), and a round trip 16,300 instead of 13,100. Test JVMs only; both flags exist on 17 to 25.
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    private static final long ARCHIVING_BOUND_SECONDS = 60;

    /** The archives of this test run: one per test JVM, as there is one test bed; none until {@link #prepare}. */
    static final ClassDataArchives OF_THIS_RUN = new ClassDataArchives();

    /** Where this run's archives are written: a folder made by {@link #prepare}, deleted by {@link #delete}. */
    private volatile Path directory;
    private final Map<JavaProgram, CompletableFuture<Optional<Path>>> archives = new ConcurrentHashMap<>();
    /** Two at a time: one per core of the machines this runs on. */
    private final ExecutorService archivers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "class-data-archiver");
        thread.setDaemon(true);
        return thread;
    });

    private ClassDataArchives() {
    }

    /**
     * How runs with an archive start {@code program}: as it is, except a Spring Boot executable jar, which starts
     * in Spring Boot's extracted layout. Classes inside the executable jar's nested jars cannot be archived: a
     * Spring Boot example's settings error took 2.6 CPU-s with an archive of what could be, 1.6 extracted.
     */
    static JavaProgram launchOf(JavaProgram program) {
        // Decided once per program (it reads the jar's manifest), not at each of its runs.
        return LAUNCHES.computeIfAbsent(program, key -> key.launch() == JavaProgram.Launch.EXECUTABLE_JAR
                && key.isSpringBootJar() ? key.withLaunch(JavaProgram.Launch.SPRING_BOOT_EXTRACTED) : key);
    }

    private static final Map<JavaProgram, JavaProgram> LAUNCHES = new ConcurrentHashMap<>();

    /**
     * Starts making every program's archive in the background, a few at a time, each by the run given for it, in a
     * temporary folder of their own.
     */
    synchronized void prepare(Collection<ExampleRun> trainingRuns) throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("serverless-class-data-");
        }
        trainingRuns.forEach(run -> archives.computeIfAbsent(launchOf((JavaProgram) run.program()),
                key -> CompletableFuture.supplyAsync(() -> archive(run), archivers)));
    }

    /** Waits until every archive started by {@link #prepare} is made (or could not be). */
    void awaitPrepared() {
        archives.values().forEach(archive -> archive.exceptionally(error -> Optional.empty()).join());
    }

    /** Deletes the archives' folder, at the end of the run. */
    synchronized void delete() {
        if (directory != null) {
            Folders.deleteQuietly(directory);
        }
    }

    /**
     * The options that make a run map the program's archive; none while it is being made (the run would
     * wait longer than it saves) or when there is none for it.
     */
    List<String> optionsFor(JavaProgram program) {
        CompletableFuture<Optional<Path>> archive = archives.get(program);
        if (archive == null || !archive.isDone() || archive.isCompletedExceptionally()) {
            return List.of();
        }
        return archive.join().map(file -> List.of("-XX:SharedArchiveFile=" + file)).orElse(List.of());
    }

    /**
     * The JVM options of every run of {@code launched} (as {@link #launchOf} gives it), its training run included:
     * {@link #JVM_OPTIONS}, and for a Spring Boot application the bean definitions its build generated ahead of
     * time (the example's pom runs Spring Boot's {@code process-aot}), which Spring uses only when told: a
     * settings error 1.2 CPU-s instead of 1.6, a round trip 2.0 instead of 2.4.
     */
    static List<String> jvmOptionsOf(JavaProgram launched) {
        if (launched.launch() != JavaProgram.Launch.SPRING_BOOT_EXTRACTED) {
            return JVM_OPTIONS;
        }
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add("-Dspring.aot.enabled=true");
        return List.copyOf(options);
    }

    private Optional<Path> archive(ExampleRun run) {
        JavaProgram program = launchOf((JavaProgram) run.program());
        Path file = directory.resolve(program.module() + "-" + program.mainClass() + ".jsa");
        List<String> options = new ArrayList<>(jvmOptionsOf(program));
        options.add("-XX:ArchiveClassesAtExit=" + file);
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        run.broker().hostsFile().ifPresent(hosts -> options.add("-Djdk.net.hosts.file=" + hosts));
        try {
            ProcessBuilder builder = program.processBuilder(options, run.environment())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            // Training runs start beside the suites' first runs: they take their places among the starting programs.
            ExampleRunner.StartupSlot slot = ExampleRunner.StartupSlot.take();
            Process process;
            try {
                process = builder.start();
            } catch (IOException | RuntimeException e) {
                slot.release();
                throw e;
            }
            slot.holdWhileStarting(process.toHandle());
            if (!process.waitFor(ARCHIVING_BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(file).filter(Files::isRegularFile);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
