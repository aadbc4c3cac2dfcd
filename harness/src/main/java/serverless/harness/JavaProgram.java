package serverless.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A program from one of the repository's modules, as a user runs it: the module's packaged jar
 * ({@code <module>/target/<module>.jar}) and the main class to start.
 */
public record JavaProgram(String module, String mainClass) {

    /** The connection doctor: not an example (it keeps its own output contract), but run the same way. */
    public static final JavaProgram DOCTOR = new JavaProgram("doctor", "serverless.doctor.Doctor");

    public Path jar() {
        Path root = Path.of(System.getProperty("examples.root", ".."));
        Path jar = root.resolve(relativeJar()).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw verify (or package) from the"
                    + " repository root, so the modules are packaged before the harness runs them");
        }
        return jar;
    }

    /** The main class without its package, e.g. {@code PahoExample}. */
    public String simpleName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** How a user runs it from the repository root: {@code java -cp <module>/target/<module>.jar <main class>}. */
    public String userCommand() {
        return "java -cp " + relativeJar() + " " + mainClass;
    }

    /**
     * A process that runs it: this JVM's {@code java}, the given JVM options, {@code -cp <jar> <main class>}.
     * Its environment is this one's without any {@code MQTT_*}, {@code JAVA_TOOL_OPTIONS} or
     * {@code JDK_JAVA_OPTIONS}, plus {@code env}: the program sees only the settings it is given.
     */
    public ProcessBuilder processBuilder(List<String> jvmOptions, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(jar().toString());
        command.add(mainClass);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("MQTT_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(env);
        return builder;
    }

    private Path relativeJar() {
        return Path.of(module, "target", module + ".jar");
    }
}
