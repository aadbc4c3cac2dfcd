package serverless.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Node.js or Python example: a script run by its interpreter, with its dependencies installed from the
 * module's lock file into the module's own {@code target/} folder (never the user's global environment):
 * <ul>
 *   <li>Node.js: the module's files are copied to {@code target/app/} and {@code npm ci} installs
 *       {@code package-lock.json} there; the harness runs {@code node target/app/<script>}, what
 *       {@code npm start} runs.</li>
 *   <li>Python: {@code python3 -m venv target/venv}, then {@code pip install -r requirements.txt} into it;
 *       the harness runs {@code target/venv/bin/python <script>}.</li>
 * </ul>
 * Installing needs the package registry once per clean build; where the runtime is missing or the install
 * fails, {@link #unavailableReason()} says so and the suites skip the program with that reason.
 */
public record ScriptProgram(String module, Runtime runtime, String script) implements Program {

    /** The interpreter a script needs, the oldest version the example supports, and how to install its dependencies. */
    public enum Runtime {
        NODE("node", 20, "Node.js"),
        PYTHON("python3", 10, "Python 3");

        private final String command;
        private final int minimumVersion;
        private final String displayName;

        Runtime(String command, int minimumVersion, String displayName) {
            this.command = command;
            this.minimumVersion = minimumVersion;
            this.displayName = displayName;
        }
    }

    private static final Duration INSTALL_BOUND = Duration.ofSeconds(300);
    /** One installation per module and test run, shared by every run of its programs. */
    private static final Map<String, Optional<String>> INSTALLATIONS = new ConcurrentHashMap<>();
    /** The name resolvers that stand in for {@code -Djdk.net.hosts.file} (test support, not part of the examples). */
    private static final Path RESOLVERS = Path.of("harness", "src", "main", "resources", "resolve");

    @Override
    public String simpleName() {
        return script;
    }

    @Override
    public String userCommand() {
        return runtime == Runtime.NODE ? "cd " + module + " && npm ci && node " + script
                : "cd " + module + " && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/python " + script;
    }

    /** Installs the module's dependencies once (later calls return the first answer) and says why it cannot run, if so. */
    @Override
    public Optional<String> unavailableReason() {
        return INSTALLATIONS.computeIfAbsent(module, key -> install());
    }

    @Override
    public ProcessBuilder processBuilder(Map<String, String> env, Optional<Path> hostsFile) {
        Map<String, String> variables = new HashMap<>(env);
        hostsFile.ifPresent(hosts -> {
            // The Java examples get -Djdk.net.hosts.file; a script gets a small resolver loaded before it runs,
            // which answers the test deployment's name from the same file and leaves every other name to DNS.
            variables.put("SERVERLESS_HOSTS_FILE", hosts.toString());
            if (runtime == Runtime.NODE) {
                variables.put("NODE_OPTIONS", "--require=" + Program.repositoryRoot().resolve(RESOLVERS).resolve("hosts-file-lookup.cjs").toAbsolutePath());
            } else {
                variables.put("PYTHONPATH", Program.repositoryRoot().resolve(RESOLVERS).resolve("python").toAbsolutePath().toString());
                variables.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ left in the module folder
            }
        });
        List<String> command = runtime == Runtime.NODE
                ? List.of(runtime.command, folder().resolve("target/app").resolve(script).toString())
                : List.of(venvPython().toString(), folder().resolve(script).toString());
        return Program.withOnly(variables, new ProcessBuilder(command));
    }

    /**
     * The module's own unit tests, as a user runs them after installing as {@link #userCommand()} does ({@code npm test}
     * in the installed copy, {@code python -m unittest} in the module folder with the installed venv), in an
     * environment without the caller's {@code MQTT_*} or runtime options. They need no broker.
     */
    @Override
    public Optional<UnitTests> unitTests() {
        String command = runtime == Runtime.NODE ? "cd " + module + " && npm test" : "cd " + module + " && .venv/bin/python -m unittest";
        ProcessBuilder builder = runtime == Runtime.NODE
                ? new ProcessBuilder("npm", "test", "--silent").directory(folder().resolve("target/app").toFile())
                : new ProcessBuilder(venvPython().toString(), "-m", "unittest").directory(folder().toFile());
        // No __pycache__ in the module folder.
        return Optional.of(new UnitTests(command, Program.withOnly(Map.of("PYTHONDONTWRITEBYTECODE", "1"), builder)));
    }

    private Optional<String> install() {
        Optional<String> missing = runtimeMissing();
        if (missing.isPresent()) {
            return missing;
        }
        try {
            if (runtime == Runtime.NODE) {
                Path app = folder().resolve("target/app");
                copyModuleFiles(app);
                return run(app, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), "npm ci");
            }
            return installIntoVenv();
        } catch (IOException e) {
            return Optional.of("its dependencies could not be installed: " + e);
        }
    }

    /**
     * {@code python3 -m venv target/venv}, then {@code pip install -r requirements.txt} into it: the same packages
     * from the same hash-pinned file as the README's commands. The venv is made without a pip of its own, which this
     * machine's pip installs into ({@code --python}, pip 22.3 and later): copying pip into a new venv took 5.6 of its
     * 6.8 CPU-seconds here. Where that pip is older or missing, the venv gets its own, as in the README.
     */
    private Optional<String> installIntoVenv() throws IOException {
        List<String> install = List.of("--disable-pip-version-check", "--quiet", "install", "-r", "requirements.txt");
        Optional<String> made = run(folder(), List.of(runtime.command, "-m", "venv", "--without-pip", "target/venv"),
                "python3 -m venv");
        if (made.isPresent()) {
            return made;
        }
        List<String> hostPip = new ArrayList<>(List.of(runtime.command, "-m", "pip", "--python", venvPython().toString()));
        hostPip.addAll(install);
        if (run(folder(), hostPip, "pip install -r requirements.txt").isEmpty()) {
            return Optional.empty();
        }
        Optional<String> ownPip = run(folder(), List.of(venvPython().toString(), "-m", "ensurepip", "--default-pip"),
                "python -m ensurepip");
        if (ownPip.isPresent()) {
            return ownPip;
        }
        List<String> venvPip = new ArrayList<>(List.of(venvPython().toString(), "-m", "pip"));
        venvPip.addAll(install);
        return run(folder(), venvPip, "pip install -r requirements.txt");
    }

    /** Whether the interpreter is on the PATH and new enough: empty if so, else the reason to skip. */
    private Optional<String> runtimeMissing() {
        String needed = runtime.displayName + " " + (runtime == Runtime.NODE ? runtime.minimumVersion : "3." + runtime.minimumVersion)
                + " or newer";
        try {
            Process process = new ProcessBuilder(runtime.command, "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.of(runtime.command + " --version failed; " + module + " needs " + needed);
            }
            Matcher number = Pattern.compile(runtime == Runtime.NODE ? "v(\\d+)\\." : "Python 3\\.(\\d+)").matcher(version);
            if (!number.find() || Integer.parseInt(number.group(1)) < runtime.minimumVersion) {
                return Optional.of(module + " needs " + needed + "; this machine has " + version);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(runtime.command + " is not installed; " + module + " needs " + needed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + runtime.command);
        }
    }

    /** Copies the module's own files (not its build output or a user's installed dependencies) to {@code app}. */
    private void copyModuleFiles(Path app) throws IOException {
        Path folder = folder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = folder.relativize(file);
                String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                if (first.equals("target") || first.equals("node_modules") || first.equals(".venv")) {
                    continue;
                }
                Path copy = app.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Optional<String> run(Path directory, List<String> command, String step) throws IOException {
        return Installation.run(directory, command, step, INSTALL_BOUND);
    }

    private Path venvPython() {
        return folder().resolve("target/venv/bin/python");
    }
}
