package serverless.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program from one of the repository's modules, as a user runs it: the module's packaged jar
 * ({@code <module>/target/<module>.jar}) and the main class to start.
 */
public record JavaProgram(String module, String mainClass) {

    /** The connection doctor: not an example (it keeps its own output contract), but run the same way. */
    public static final JavaProgram DOCTOR = new JavaProgram("doctor", "serverless.doctor.Doctor");

    public Path jar() {
        Path root = Path.of(System.getProperty("examples.root", ".."));
        Path jar = root.resolve(module).resolve("target").resolve(module + ".jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw verify (or package) from the"
                    + " repository root, so the modules are packaged before the harness runs them");
        }
        return jar;
    }
}
