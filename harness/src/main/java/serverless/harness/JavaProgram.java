package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * A program from one of the repository's modules, as a user runs it: the module's packaged jar
 * ({@code <module>/target/<module>.jar}) and the main class to start. A plain example jar is run as
 * {@code java -cp <jar> <main class>}, so that one jar can hold several variants; a framework's
 * executable jar (Spring Boot's nested jars, Quarkus' runner) only starts through its own launcher, as
 * {@code java -jar <jar>}, and its main class is then the application class that launcher starts.
 */
public record JavaProgram(String module, String mainClass, Launch launch) implements Program {

    /** How the JVM is told what to start. */
    public enum Launch {
        /** {@code java -cp <jar> <main class>}. */
        CLASS_PATH,
        /** {@code java -jar <jar>}: the jar's manifest names the launcher. */
        EXECUTABLE_JAR,
        /**
         * A Spring Boot executable jar in the layout Spring Boot recommends for production, made from it by
         * {@code java -Djarmode=tools -jar <jar> extract}: {@code java -jar <module>/target/extracted/<module>.jar},
         * with its libraries in {@code lib/} beside it. The same classes on the JVM's own class path instead
         * of inside nested jars, where class-data sharing cannot archive them.
         */
        SPRING_BOOT_EXTRACTED
    }

    public JavaProgram(String module, String mainClass) {
        this(module, mainClass, Launch.CLASS_PATH);
    }

    /** The connection doctor: not an example (it keeps its own output contract), but run the same way. */
    public static final JavaProgram DOCTOR = new JavaProgram("doctor", "serverless.doctor.Doctor");

    /** The same program started another way, e.g. an executable jar in its extracted layout. */
    public JavaProgram withLaunch(Launch other) {
        return new JavaProgram(module, mainClass, other);
    }

    /** Whether its jar is a Spring Boot executable jar, which {@link Launch#SPRING_BOOT_EXTRACTED} can start. */
    public boolean isSpringBootJar() {
        try (JarFile jar = new JarFile(packagedJar().toFile())) {
            return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Spring-Boot-Version") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + packagedJar(), e);
        }
    }

    /** The jar the JVM is given: the module's packaged jar, or the one extracted from it. */
    public Path jar() {
        return launch == Launch.SPRING_BOOT_EXTRACTED ? extractedJar() : packagedJar();
    }

    private Path packagedJar() {
        Path jar = Program.repositoryRoot().resolve(relativeJar()).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw verify (or package) from the"
                    + " repository root, so the modules are packaged before the harness runs them");
        }
        return jar;
    }

    /** Extracts the packaged jar with Spring Boot's own tool, once per build of it, and returns the extracted jar. */
    private Path extractedJar() {
        Path packaged = packagedJar();
        Path destination = packaged.resolveSibling("extracted");
        Path extracted = destination.resolve(packaged.getFileName());
        synchronized (JavaProgram.class) {
            try {
                if (Files.isRegularFile(extracted)
                        && !Files.getLastModifiedTime(extracted).toInstant().isBefore(Files.getLastModifiedTime(packaged).toInstant())) {
                    return extracted;
                }
                Process extraction = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djarmode=tools", "-jar", packaged.toString(), "extract", "--force", "--destination", destination.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!extraction.waitFor(60, TimeUnit.SECONDS) || extraction.exitValue() != 0 || !Files.isRegularFile(extracted)) {
                    extraction.destroyForcibly();
                    throw new IllegalStateException("could not extract " + packaged + " with java -Djarmode=tools ... extract");
                }
                // Its time stamp is the packaged jar's: the next run sees it is up to date.
                Files.setLastModifiedTime(extracted, Files.getLastModifiedTime(packaged));
                return extracted;
            } catch (IOException e) {
                throw new UncheckedIOException("could not extract " + packaged, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while extracting " + packaged, e);
            }
        }
    }

    /** The main class without its package, e.g. {@code PahoExample}. */
    @Override
    public String simpleName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** How a user runs it from the repository root, e.g. {@code java -cp <module>/target/<module>.jar <main class>}. */
    @Override
    public String userCommand() {
        return switch (launch) {
            case CLASS_PATH -> "java -cp " + relativeJar() + " " + mainClass;
            case EXECUTABLE_JAR -> "java -jar " + relativeJar();
            case SPRING_BOOT_EXTRACTED -> "java -jar " + relativeJar().resolveSibling("extracted").resolve(module + ".jar")
                    + " (extracted by java -Djarmode=tools -jar " + relativeJar() + " extract --destination "
                    + relativeJar().resolveSibling("extracted") + ")";
        };
    }

    @Override
    public ProcessBuilder processBuilder(Map<String, String> env, Optional<Path> hostsFile) {
        return processBuilder(hostsFile.map(hosts -> List.of("-Djdk.net.hosts.file=" + hosts)).orElse(List.of()), env);
    }

    /**
     * A process that runs it: this JVM's {@code java}, the given JVM options, {@code -cp <jar> <main class>}
     * (or {@code -jar <jar>}).
     * Its environment is {@link Program#withOnly}: the program sees only the settings it is given.
     */
    public ProcessBuilder processBuilder(List<String> jvmOptions, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (launch != Launch.CLASS_PATH) {
            command.add("-jar");
            command.add(jar().toString());
        } else {
            command.add("-cp");
            command.add(jar().toString());
            command.add(mainClass);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        return Program.withOnly(env, builder);
    }

    private Path relativeJar() {
        return Path.of(module, "target", module + ".jar");
    }
}
