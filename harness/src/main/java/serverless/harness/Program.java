package serverless.harness;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A program from one of the repository's modules, run as a user runs it: a Java example's packaged jar
 * ({@link JavaProgram}), a script with its interpreter ({@link ScriptProgram}: Node.js, Python), or a Go module's
 * binary ({@link GoProgram}). The
 * harness sees only this: a process started with the {@code MQTT_*} variables of a run.
 */
public sealed interface Program permits JavaProgram, ScriptProgram, GoProgram {

    /** The module folder, e.g. {@code paho-example}. */
    String module();

    /** The program within its module, e.g. {@code PahoExample} or {@code example.py}. */
    String simpleName();

    /** How a user runs it from the repository root, for reports. */
    String userCommand();

    /**
     * Why it cannot run on this machine (its runtime is not installed, or its dependencies could not be
     * installed), or empty when it can. A suite skips its cases with this reason.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** {@link #unavailableReason()} as a suite reports a skip: "{@code <module>} cannot run here: ...". */
    default Optional<String> skipReason() {
        return unavailableReason().map(reason -> module() + " cannot run here: " + reason);
    }

    /** A module's own unit tests, as a user runs them ({@code command}), and the process that runs them here. */
    record UnitTests(String command, ProcessBuilder process) {
    }

    /**
     * The module's own unit tests for the harness to run ({@code ModuleUnitTestsIT}), or empty where the build runs
     * them itself (Maven, for a Java module).
     */
    default Optional<UnitTests> unitTests() {
        return Optional.empty();
    }

    /** The module's folder, absolute: where it is installed or built, and where its own unit tests run. */
    default Path folder() {
        return repositoryRoot().resolve(module()).toAbsolutePath().normalize();
    }

    /** The repository's root, where the module folders are: {@code -Dexamples.root}, else the harness's parent. */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("examples.root", ".."));
    }

    /**
     * A process that runs it with exactly the variables in {@code env} (nothing from the caller's own
     * {@code MQTT_*}). {@code hostsFile}, when present, maps the test deployment's host name to this
     * machine for this process only, so the program sends that name as SNI and checks it against the
     * certificate exactly as with a real deployment.
     */
    ProcessBuilder processBuilder(Map<String, String> env, Optional<Path> hostsFile);

    /**
     * {@code builder} with this process's environment minus every variable that would change what the program
     * does (the caller's own {@code MQTT_*}, its runtime's option and trust variables), plus {@code env}: the
     * program sees only the settings it is given.
     */
    static ProcessBuilder withOnly(Map<String, String> env, ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith("MQTT_") || INHERITED_BUT_IGNORED.contains(name));
        builder.environment().putAll(env);
        return builder;
    }

    /** Variables that add options or trusted certificates to a runtime behind the program's back. */
    java.util.Set<String> INHERITED_BUT_IGNORED = java.util.Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS",
            "NODE_OPTIONS", "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "REQUESTS_CA_BUNDLE",
            // Go's runtime settings, and the proxy paho.mqtt.golang would send ssl:// connections through.
            "GODEBUG", "all_proxy", "ALL_PROXY");
}
