package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Go example: a {@code package main} of a Go module ({@code packagePath}: {@code .} for the module's own folder,
 * {@code ./starter} for a program in a subfolder that shares the module's {@code go.mod}), built once per run with the go command into the module's own
 * {@code target/}, and run as its binary. The build adds one file, for that build only, with {@code go build
 * -overlay}: {@code resolve_hosts.go} from {@code harness/src/main/resources/resolve/go/}, which points Go's resolver
 * at the hosts file a run gives ({@code SERVERLESS_HOSTS_FILE}), as {@code -Djdk.net.hosts.file} does for a JVM. The
 * module's folder is not changed, and no line of the example is test code: Go has no switch for another hosts file.
 * Where {@code go} is missing or the build fails, {@link #unavailableReason()} says so and the suites skip the
 * program with that reason.
 */
public record GoProgram(String module, String packagePath, String binary) implements Program {

    private static final Duration BUILD_BOUND = Duration.ofSeconds(300);
    /** One build per binary and run, shared by every run of its program. */
    private static final Map<String, Optional<String>> BUILDS = new ConcurrentHashMap<>();
    private static final Path RESOLVER = Path.of("harness", "src", "main", "resources", "resolve", "go", "resolve_hosts.go");

    /** The module's main package, {@code .}: the Go module's own folder. */
    public GoProgram(String module, String binary) {
        this(module, ".", binary);
    }

    @Override
    public String simpleName() {
        return binary;
    }

    @Override
    public String userCommand() {
        return "cd " + module + " && go run " + packagePath; // go run builds and runs it, as the harness does in two steps
    }

    /** Builds the binary once (later calls return the first answer) and says why it cannot run, if so. */
    @Override
    public Optional<String> unavailableReason() {
        return BUILDS.computeIfAbsent(module + " " + binary, key -> build());
    }

    @Override
    public ProcessBuilder processBuilder(Map<String, String> env, Optional<Path> hostsFile) {
        Map<String, String> variables = new HashMap<>(env);
        // Read by resolve_hosts.go, which this build added: the deployment's name resolves as the file says.
        hostsFile.ifPresent(hosts -> variables.put("SERVERLESS_HOSTS_FILE", hosts.toAbsolutePath().toString()));
        return Program.withOnly(variables, new ProcessBuilder(builtBinary().toString()));
    }

    /** {@code go test ./...} in the module folder: the module's own unit tests, which need no broker. */
    @Override
    public Optional<UnitTests> unitTests() {
        return Optional.of(new UnitTests("cd " + module + " && go test ./...",
                Program.withOnly(Map.of(), new ProcessBuilder("go", "test", "./...").directory(folder().toFile()))));
    }

    /** {@code go build -overlay <json> -o target/<binary>-harness .}: the example as it is, plus the resolver. */
    private Optional<String> build() {
        try {
            Optional<String> missing = Installation.run(folder(), List.of("go", "version"), "go version", Duration.ofSeconds(30));
            if (missing.isPresent()) {
                return Optional.of("go is not installed or does not run (" + missing.get() + "); " + module
                        + " needs Go 1.24 or newer (go.mod)");
            }
            Path overlay = Files.createDirectories(folder().resolve("target")).resolve(binary + "-resolve-overlay.json");
            Path resolver = Program.repositoryRoot().resolve(RESOLVER).toAbsolutePath().normalize();
            // The overlay names a file in the package's folder that is not there: go build reads it from the resolver.
            Path resolverInPackage = folder().resolve(packagePath).normalize().resolve("zz_resolve_hosts.go");
            Files.writeString(overlay, "{\"Replace\": {" + json(resolverInPackage) + ": "
                    + json(resolver) + "}}\n", StandardCharsets.UTF_8);
            // GOTOOLCHAIN=local: a Go older than go.mod asks for fails with that reason, instead of downloading another.
            return Installation.run(folder(), List.of("env", "GOTOOLCHAIN=local", "go", "build", "-overlay",
                    overlay.toString(), "-o", builtBinary().toString(), packagePath), "go build", BUILD_BOUND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the build of " + module, e);
        }
    }

    private Path builtBinary() {
        return folder().resolve("target").resolve(binary + "-harness");
    }

    private static String json(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
