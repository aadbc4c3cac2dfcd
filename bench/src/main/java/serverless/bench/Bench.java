package serverless.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import serverless.harness.LocalDeployment;

/**
 * The benchmark: {@code java -jar bench/target/bench.jar}. Starts the local Serverless-like broker (or takes the
 * deployment from MQTT_* variables), measures every stack over every transport it has, each in a process of its
 * own (a JVM, or the Node.js, Python or Go program), in rounds whose order rotates, and writes the table, CSV, JSON
 * and chart. See README.md for the settings.
 */
public final class Bench {

    static final String LOCAL_BROKER = "Broker: local, the harness' LocalBroker (HiveMQ CE 2025.5 behind its SNI"
            + " front, in the bench's JVM, on Netty 4.2); TLS 1.3; Serverless' quotas on, the publish rate lifted for the"
            + " bench's clients; as ";

    private Bench() {
    }

    public static void main(String[] args) {
        LocalDeployment.quietLogging();
        System.setProperty("java.awt.headless", "true");
        BenchSettings settings;
        try {
            settings = BenchSettings.fromEnvironment(defaultOutputDir());
        } catch (SettingsException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Results results = run(settings, System.out);
            // Every figure was written; a stack that failed makes the run fail, so a script notices.
            System.exit(results.stacks().stream().allMatch(figures -> figures.failures().isEmpty()) ? 0 : 1);
        } catch (Exception e) {
            System.err.println("ERROR: " + Failure.describe(e));
            System.exit(1);
        }
    }

    /** Runs the benchmark and writes its files into the output folder; also what the smoke test calls. */
    static Results run(BenchSettings settings, PrintStream out) throws Exception {
        LocalDeployment.quietLogging(); // before the broker logs anything (in the smoke test, this is the first call)
        Files.createDirectories(settings.outputDir());
        // Where the harness finds the Node.js, Python and Go stacks (bench/node, bench/python, bench/go): this
        // checkout.
        if (System.getProperty("examples.root") == null) {
            System.setProperty("examples.root", defaultOutputDir().getParent().toAbsolutePath().getParent().toString());
        }
        out.println(Machine.describe());
        // Before anything of the bench's own runs: whether the machine was idle as it started.
        MachineLoad load = MachineLoad.atStart();
        out.println(load.describe());
        if (settings.remote().isPresent()) {
            return measure(settings, settings.remote().get(), Optional.empty(), "Broker: " + settings.remote().get().host()
                    + " (MQTT_HOST; TLS " + settings.remote().get().tlsPort() + ", WSS " + settings.remote().get().wssPort()
                    + settings.remote().get().wsPath() + ")", null, load, out);
        }
        out.println("Starting the local broker...");
        try (LocalDeployment deployment = LocalDeployment.start(LocalDeployment.HOST);
                Interruption interruption = new Interruption(deployment)) {
            Target target = new Target(deployment.host(), deployment.tlsPort(), deployment.wssPort(), deployment.wsPath(),
                    deployment.username(), deployment.password(), deployment.caFile());
            return measure(settings, target, deployment.hostsFile(), LOCAL_BROKER + target.host(), deployment, load,
                    out);
        }
    }

    private static Results measure(BenchSettings settings, Target target, Optional<Path> hostsFile, String broker,
            LocalDeployment deployment, MachineLoad load, PrintStream out) throws Exception {
        out.println(broker);
        out.println("Settings: " + settings.describe());
        List<StackFigures> all = new ArrayList<>();
        for (Stack stack : settings.stacks()) {
            for (Transport transport : stack.transports()) {
                all.add(new StackFigures(stack, transport));
            }
        }
        // One client id per stack and transport, and two for the broker's warm-up.
        Map<StackFigures, String> clientIds = new HashMap<>();
        all.forEach(figures -> clientIds.put(figures, newClientId()));
        List<String> warmUpIds = List.of(newClientId(), newClientId());
        if (deployment != null) {
            // The local broker keeps Serverless' 10 publishes a second per client; the bench measures the stacks,
            // not the quota, so it lifts it for its own clients (and only for them).
            List<String> lifted = new ArrayList<>(clientIds.values());
            lifted.addAll(warmUpIds);
            deployment.liftPublishRate(lifted);
        }
        if (settings.brokerWarmupMessages() > 0) {
            warmUpBroker(settings, target, hostsFile, warmUpIds, out);
        }
        for (int round = 1; round <= settings.rounds(); round++) {
            // Interleaved: each round starts one stack later, so a drift of the machine's speed (another load,
            // the broker's JIT warming up) is spread over every stack instead of favouring the ones that come last.
            List<StackFigures> order = new ArrayList<>(all);
            Collections.rotate(order, -(round - 1));
            if (settings.sharedJvm()) {
                List<StackFigures> javaStacks = order.stream().filter(figures -> figures.stack.program().isEmpty()).toList();
                measureShared(javaStacks, round, settings, target, hostsFile, clientIds, load, out);
                order.removeAll(javaStacks);
            }
            for (StackFigures figures : order) {
                if (figures.notRunReason() != null) {
                    continue;
                }
                // A runtime that is missing (Node.js, Python, Go), or an install or a build that failed: not run, with
                // the reason (the harness skips its examples the same way).
                Optional<String> unavailable = figures.stack.program().flatMap(program -> program.unavailableReason());
                if (unavailable.isPresent()) {
                    figures.notRun(unavailable.get());
                    out.printf("round %d/%d  %-22s not run: %s%n", round, settings.rounds(), figures.name(),
                            unavailable.get());
                    continue;
                }
                String name = figures.stack.id() + "-" + figures.transport.name().toLowerCase() + "-round" + round;
                long start = System.nanoTime();
                Optional<MachineLoad.CpuTicks> before = load.sample();
                try {
                    JsonNode result = StackProcess.run(figures.stack, figures.transport, clientIds.get(figures),
                            settings, target, hostsFile, name);
                    record(figures, result, round, settings, (System.nanoTime() - start) / 1e9,
                            load.othersCores(before, load.sample()), out);
                } catch (Exception e) {
                    failed(figures, round, settings, Failure.describe(e), out);
                }
            }
        }
        Results results = new Results(LocalDate.now().toString(), Machine.describe(), broker,
                "Settings: " + settings.describe(), settings.messages(), all, load, settings.sharedJvm());
        write(results, settings.outputDir(), out);
        return results;
    }

    /** BENCH_SHARED_JVM: every Java stack of the round in one JVM, one after the other (the smoke test's way). */
    private static void measureShared(List<StackFigures> javaStacks, int round, BenchSettings settings, Target target,
            Optional<Path> hostsFile, Map<StackFigures, String> clientIds, MachineLoad load, PrintStream out) {
        String pairs = javaStacks.stream().map(figures -> figures.stack.id() + ":" + figures.transport + ":"
                + clientIds.get(figures)).collect(Collectors.joining(","));
        long start = System.nanoTime();
        Optional<MachineLoad.CpuTicks> before = load.sample();
        try {
            List<JsonNode> results = StackProcess.runShared(pairs, settings, target, hostsFile, "java-round" + round);
            double othersCores = load.othersCores(before, load.sample());
            for (StackFigures figures : javaStacks) {
                Optional<JsonNode> result = results.stream().filter(node -> node.isObject()
                        && node.get("stack").asText().equals(figures.stack.id())
                        && node.get("transport").asText().equals(figures.transport.name())).findFirst();
                Optional<String> failure = results.stream().filter(JsonNode::isTextual).map(JsonNode::asText)
                        .filter(line -> line.startsWith(StackRun.FAILED_PREFIX + figures.stack.id() + " "
                                + figures.transport + " ")).findFirst();
                if (result.isPresent()) {
                    record(figures, result.get(), round, settings, (System.nanoTime() - start) / 1e9, othersCores, out);
                } else {
                    failed(figures, round, settings, failure.orElse("no result"), out);
                }
            }
        } catch (Exception e) {
            javaStacks.forEach(figures -> failed(figures, round, settings, Failure.describe(e), out));
        }
    }

    private static void record(StackFigures figures, JsonNode result, int round, BenchSettings settings, double seconds,
            double othersCores, PrintStream out) {
        figures.add(result, round, othersCores);
        out.printf("round %d/%d  %-22s QoS 0 %9s/s  QoS 1 %9s/s  latency p99 %s ms  (%.1f s%s)%n", round,
                settings.rounds(), figures.name(), Report.number(result.get("qos0PerSecond").asDouble()),
                Report.number(result.get("qos1PerSecond").asDouble()),
                Report.number(StackFigures.latencyOf(result).getValueAtPercentile(99) / 1000.0), seconds,
                othersCores < 0 ? "" : ", other work " + MachineLoad.format(othersCores) + " cores"
                        + (othersCores > MachineLoad.DISTURBING_CORES ? ": DISTURBED" : ""));
    }

    /**
     * Before the first stack is measured, the broker does the stacks' work, untimed: without it, whichever stack runs
     * first meets a broker whose JIT has compiled nothing yet (measured: Vert.x lost a third of its QoS 1 throughput
     * by going first). The floor over TLS (MQTT 3.1.1) and the HiveMQ client over WSS (MQTT 5) cover both protocol
     * versions and both transports: connects, throughput at QoS 0 and 1, a latency run, as {@link Workload} does.
     */
    private static void warmUpBroker(BenchSettings settings, Target target, Optional<Path> hostsFile,
            List<String> clientIds, PrintStream out) throws IOException, InterruptedException {
        BenchSettings warmUp = settings.forBrokerWarmUp();
        out.printf("Warming the broker up, untimed: %,d messages at QoS 0 and at QoS 1 and %d connects, over TLS"
                + " (MQTT 3.1.1, the floor) and over WSS (MQTT 5, the HiveMQ client)...%n", warmUp.messages(),
                warmUp.connects());
        long start = System.nanoTime();
        String pairs = Stack.FLOOR.id() + ":" + Transport.TLS + ":" + clientIds.get(0) + ","
                + Stack.HIVEMQ_V5.id() + ":" + Transport.WSS + ":" + clientIds.get(1);
        List<String> failed = StackProcess.runShared(pairs, warmUp, target, hostsFile, "broker-warmup").stream()
                .filter(JsonNode::isTextual).map(JsonNode::asText).toList();
        if (!failed.isEmpty()) {
            throw new IOException("the broker's warm-up failed, so no stack was measured: " + String.join("; ", failed)
                    + " (see " + settings.outputDir().resolve("logs").resolve("broker-warmup.out") + ")");
        }
        out.printf("Warmed up in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static String newClientId() {
        // Short: 23 characters is MQTT 3.1.1's limit on some brokers.
        return "bench-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void failed(StackFigures figures, int round, BenchSettings settings, String reason, PrintStream out) {
        figures.failed("round " + round + ": " + reason);
        out.printf("round %d/%d  %-22s FAILED: %s%n", round, settings.rounds(), figures.name(), reason);
    }

    /** The table on the console, and the CSV, JSON and chart in {@code outputDir}. */
    static void write(Results results, Path outputDir, PrintStream out) throws java.io.IOException {
        Report.print(results, out);
        Path csv = outputDir.resolve("bench-results.csv");
        Path json = outputDir.resolve("bench-results.json");
        Path chart = outputDir.resolve("bench-chart.png");
        Report.writeCsv(results, csv);
        Report.writeJson(results, json);
        Chart.writePng(results, chart);
        out.println();
        out.println("Wrote " + csv + ", " + json + " and " + chart);
    }

    /**
     * Ctrl-C in the middle of a run: end the stack's process that is running, stop the broker, delete its folder
     * (a finally block does not run then; a shutdown hook does). Removed again when the run ends normally.
     */
    private static final class Interruption implements AutoCloseable {
        private final Thread hook;

        Interruption(LocalDeployment deployment) {
            this.hook = new Thread(() -> {
                StackProcess.stopRunning();
                deployment.close();
            }, "bench-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** The folder bench.jar is in (bench/target), wherever it is run from; in the tests, target too. */
    private static Path defaultOutputDir() {
        try {
            Path location = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("bench", "target");
        }
    }
}
