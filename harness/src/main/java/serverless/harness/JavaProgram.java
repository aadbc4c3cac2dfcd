package serverless.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        EXECUTABLE_JAR
    }

    public JavaProgram(String module, String mainClass) {
        this(module, mainClass, Launch.CLASS_PATH);
    }

    /** The connection doctor: not an example (it keeps its own output contract), but run the same way. */
    public static final JavaProgram DOCTOR = new JavaProgram("doctor", "serverless.doctor.Doctor");

    public Path jar() {
        Path root = Program.repositoryRoot();
        Path jar = root.resolve(relativeJar()).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw verify (or package) from the"
                    + " repository root, so the modules are packaged before the harness runs them");
        }
        return jar;
    }

    /** The main class without its package, e.g. {@code PahoExample}. */
    @Override
    public String simpleName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** How a user runs it from the repository root, e.g. {@code java -cp <module>/target/<module>.jar <main class>}. */
    @Override
    public String userCommand() {
        return launch == Launch.EXECUTABLE_JAR ? "java -jar " + relativeJar() : "java -cp " + relativeJar() + " " + mainClass;
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
        if (launch == Launch.EXECUTABLE_JAR) {
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
