package serverless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to run, from environment variables, checked before anything starts. Without MQTT_HOST the bench starts
 * its own Serverless-like broker and runs at full speed; with it, every figure is taken against that deployment,
 * paced to MQTT_PUBLISH_RATE (default 10 a second per client, Serverless' quota) and with smaller defaults.
 *
 * @param remote         the deployment from MQTT_* variables; empty: the local broker
 * @param messages       BENCH_MESSAGES: messages per throughput measurement (QoS 0, then QoS 1)
 * @param rounds         BENCH_ROUNDS: how often every stack is measured, in a rotating order
 * @param connects       BENCH_CONNECTS: fresh connections per stack and round, for the connect times
 * @param latencyRate    BENCH_LATENCY_RATE: messages a second in the latency measurement
 * @param latencyMessages BENCH_LATENCY_MESSAGES: messages in the latency measurement
 * @param window         BENCH_WINDOW: at most this many messages sent and not yet both acknowledged and back
 * @param warmupMessages BENCH_WARMUP: messages each stack sends before it is measured (0: no warm-up at all)
 * @param brokerWarmupMessages BENCH_BROKER_WARMUP: messages at each QoS, over TLS and over WSS, that warm the broker
 *                       up before the first stack is measured (0: none)
 * @param publishRate    MQTT_PUBLISH_RATE: at most this many publishes a second per client; 0 = no pacing
 * @param stacks         BENCH_STACKS: which stacks, by id (default all)
 * @param jvmOptions     BENCH_JVM_OPTIONS: options of each stack's JVM
 * @param outputDir      BENCH_OUTPUT: where the CSV, JSON, chart and logs go (default: the folder of bench.jar)
 * @param sharedJvm      BENCH_SHARED_JVM=true: all Java stacks of a round in one JVM, one after the other. Cheaper,
 *                       for the smoke test; the CPU and memory figures are then not each stack's own
 */
record BenchSettings(Optional<Target> remote, int messages, int rounds, int connects, int latencyRate,
        int latencyMessages, int window, int warmupMessages, int brokerWarmupMessages, int publishRate,
        List<Stack> stacks,
        List<String> jvmOptions, Path outputDir, boolean sharedJvm) {

    /** Serverless' publish quota per client: what the bench keeps to against a deployment unless told otherwise. */
    static final int SERVERLESS_PUBLISH_RATE = 10;
    /** The local broker's MQTT 5 Receive Maximum (HiveMQ CE's default): one window all stacks can keep. */
    static final int DEFAULT_WINDOW = 10;
    /** Messages at each QoS per transport that warm the local broker up: see {@link #forBrokerWarmUp()}. */
    static final int DEFAULT_BROKER_WARMUP = 20_000;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?");

    static BenchSettings fromEnvironment(Path defaultOutputDir) {
        return from(System.getenv(), defaultOutputDir);
    }

    static BenchSettings from(Map<String, String> env, Path defaultOutputDir) {
        Optional<Target> remote = optional(env, "MQTT_HOST").map(host -> target(env, host));
        boolean local = remote.isEmpty();
        // Against a deployment each message costs a tenth of a second per client: small defaults.
        int messages = number(env, "BENCH_MESSAGES", local ? 10_000 : 50, 1);
        int rounds = number(env, "BENCH_ROUNDS", local ? 3 : 1, 1);
        int connects = number(env, "BENCH_CONNECTS", local ? 30 : 10, 1);
        int publishRate = number(env, "MQTT_PUBLISH_RATE", local ? 0 : SERVERLESS_PUBLISH_RATE, 0);
        int latencyRate = number(env, "BENCH_LATENCY_RATE", 500, 1);
        if (publishRate > 0) {
            latencyRate = Math.min(latencyRate, publishRate);
        }
        int latencyMessages = number(env, "BENCH_LATENCY_MESSAGES", local ? 2_000 : 50, 1);
        int window = number(env, "BENCH_WINDOW", DEFAULT_WINDOW, 1);
        int warmup = number(env, "BENCH_WARMUP", local ? 2_000 : 0, 0);
        // A deployment's broker is warm already, and its quota would make this take minutes.
        int brokerWarmup = number(env, "BENCH_BROKER_WARMUP", local ? DEFAULT_BROKER_WARMUP : 0, 0);
        List<Stack> stacks = optional(env, "BENCH_STACKS").map(BenchSettings::stacks).orElse(List.of(Stack.values()));
        List<String> jvmOptions = Arrays.stream(optional(env, "BENCH_JVM_OPTIONS").orElse("-Xmx512m").split("\\s+"))
                .filter(option -> !option.isEmpty()).toList();
        Path outputDir = optional(env, "BENCH_OUTPUT").map(Path::of).orElse(defaultOutputDir);
        boolean sharedJvm = optional(env, "BENCH_SHARED_JVM").map("true"::equals).orElse(false);
        return new BenchSettings(remote, messages, rounds, connects, latencyRate, latencyMessages, window, warmup,
                brokerWarmup, publishRate, stacks, jvmOptions, outputDir, sharedJvm);
    }

    /**
     * The settings as environment variables, for a stack's JVM: every default resolved here, so the parent and its
     * children agree. The credentials travel the same way (never on a command line, which others can read).
     */
    Map<String, String> asEnvironment(Target target) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MQTT_HOST", target.host());
        env.put("MQTT_PORT", String.valueOf(target.tlsPort()));
        env.put("MQTT_WS_PORT", String.valueOf(target.wssPort()));
        env.put("MQTT_WS_PATH", target.wsPath());
        env.put("MQTT_USERNAME", target.username());
        env.put("MQTT_PASSWORD", target.password());
        env.put("MQTT_CA_FILE", target.caFile().map(Path::toString).orElse(""));
        env.put("MQTT_PUBLISH_RATE", String.valueOf(publishRate));
        env.put("BENCH_MESSAGES", String.valueOf(messages));
        env.put("BENCH_ROUNDS", String.valueOf(rounds));
        env.put("BENCH_CONNECTS", String.valueOf(connects));
        env.put("BENCH_LATENCY_RATE", String.valueOf(latencyRate));
        env.put("BENCH_LATENCY_MESSAGES", String.valueOf(latencyMessages));
        env.put("BENCH_WINDOW", String.valueOf(window));
        env.put("BENCH_WARMUP", String.valueOf(warmupMessages));
        env.put("BENCH_OUTPUT", outputDir.toString());
        return env;
    }

    /**
     * The settings of the broker's warm-up, which runs as a stack does, untimed: {@code brokerWarmupMessages} at each
     * QoS, every connect a stack makes, a short latency run, and no warm-up of its own.
     */
    BenchSettings forBrokerWarmUp() {
        return new BenchSettings(remote, brokerWarmupMessages, 1, connects, latencyRate,
                Math.min(latencyMessages, 500), window, 0, 0, publishRate, stacks, jvmOptions, outputDir, true);
    }

    /** One line for the report: the settings that must be (and are) the same for every stack. */
    String describe() {
        return String.format("%,d messages of %d bytes per throughput run (QoS 0, then QoS 1), window %d, TCP_NODELAY on;"
                        + " %,d connects; latency: %,d messages at %d/s; warm-up %,d messages per stack, %,d for the broker;"
                        + " %d round%s; publish rate %s",
                messages, Payload.SIZE, window, connects, latencyMessages, latencyRate, warmupMessages,
                brokerWarmupMessages, rounds,
                rounds == 1 ? "" : "s", publishRate == 0 ? "not paced" : publishRate + "/s per client");
    }

    private static Target target(Map<String, String> env, String host) {
        // The domain alone (a pasted URL may carry a password, so it is never repeated).
        if (!DOMAIN.matcher(host).matches()) {
            throw new SettingsException("MQTT_HOST takes the deployment's domain name alone (no scheme, port or path):"
                    + " set MQTT_HOST=<domain>, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com, and the port in MQTT_PORT");
        }
        int tlsPort = port(env, "MQTT_PORT", 8883);
        int wssPort = port(env, "MQTT_WS_PORT", 8084);
        String wsPath = optional(env, "MQTT_WS_PATH").orElse("/mqtt");
        if (!wsPath.startsWith("/")) {
            throw new SettingsException("MQTT_WS_PATH must start with '/': set MQTT_WS_PATH=/mqtt, Serverless' path");
        }
        String username = required(env, "MQTT_USERNAME", "a user from the deployment's Authentication page");
        String password = required(env, "MQTT_PASSWORD", "that user's password");
        Optional<Path> caFile = optional(env, "MQTT_CA_FILE").map(Path::of);
        if (caFile.isPresent() && (Files.isDirectory(caFile.get()) || !Files.isReadable(caFile.get()))) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " is not a readable file"
                    + ": give the path of the CA file itself (emqxsl-ca.crt, PEM), or unset it to use the JDK's trust store");
        }
        return new Target(host, tlsPort, wssPort, wsPath, username, password, caFile);
    }

    private static List<Stack> stacks(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(id -> !id.isEmpty())
                .map(id -> Stack.byId(id).orElseThrow(() -> new SettingsException("BENCH_STACKS names '" + id
                        + "', which is not a stack: use a comma-separated list of " + Stack.ids())))
                .distinct().toList();
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        int port = number(env, name, defaultPort, 1);
        if (port > 65535) {
            throw new SettingsException(name + "=" + port + " is not a port number: Serverless offers 8883 (MQTT over TLS)"
                    + " and 8084 (MQTT over WebSocket with TLS)");
        }
        return port;
    }

    private static int number(Map<String, String> env, String name, int defaultValue, int minimum) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (WHOLE_NUMBER.matcher(value.get()).matches() && value.get().length() < 10
                && Integer.parseInt(value.get()) >= minimum) {
            return Integer.parseInt(value.get());
        }
        throw new SettingsException(name + "=" + value.get() + " is not a whole number of at least " + minimum
                + ": unset it for the default, " + defaultValue);
    }

    private static String required(Map<String, String> env, String name, String hint) {
        return optional(env, name).orElseThrow(() ->
                new SettingsException(name + " is not set: export " + name + "=<" + hint + ">"));
    }

    static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }
}
