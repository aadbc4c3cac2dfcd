package serverless.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import serverless.harness.LocalDeployment;

/**
 * One stack over one transport, in a JVM of its own (started by {@link Bench}), so that its CPU time and memory
 * are its own and not the broker's or another stack's. Settings come from the environment the bench hands it;
 * it prints its figures as one JSON line after {@value #RESULT_PREFIX}, or one {@code ERROR:} line and exits 1.
 */
public final class StackRun {

    static final String RESULT_PREFIX = "BENCH-RESULT ";
    static final String FAILED_PREFIX = "BENCH-FAILED ";

    private StackRun() {
    }

    public static void main(String[] args) {
        LocalDeployment.quietLogging(); // the HiveMQ client and Netty log through SLF4J to logback here
        Map<String, String> env = System.getenv();
        try {
            BenchSettings settings = BenchSettings.from(env, Path.of("."));
            // One stack (BENCH_STACK, BENCH_TRANSPORT, BENCH_CLIENT_ID), or several one after the other
            // (BENCH_SHARED_JVM: BENCH_PAIRS=stack:TRANSPORT:clientId,...), each reported on a line of its own.
            String pairs = env.getOrDefault("BENCH_PAIRS",
                    env.get("BENCH_STACK") + ":" + env.get("BENCH_TRANSPORT") + ":" + env.get("BENCH_CLIENT_ID"));
            boolean shared = env.containsKey("BENCH_PAIRS");
            for (String pair : pairs.split(",")) {
                String[] parts = pair.split(":");
                Stack stack = Stack.byId(parts[0]).orElseThrow();
                Transport transport = Transport.valueOf(parts[1]);
                try {
                    Map<String, Object> result = run(stack, transport, parts[2], settings);
                    System.out.println(RESULT_PREFIX + new ObjectMapper().writeValueAsString(result));
                } catch (Exception e) {
                    if (!shared) {
                        throw e;
                    }
                    // The others still run; the bench reports this one as failed.
                    System.out.println(FAILED_PREFIX + stack.id() + " " + transport + " " + Failure.describe(e));
                }
                System.out.flush();
            }
            System.exit(0); // some stacks leave non-daemon threads behind
        } catch (Exception e) {
            System.err.println("ERROR: " + Failure.describe(e));
            if ("true".equals(env.get("BENCH_DEBUG"))) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    static Map<String, Object> run(Stack stack, Transport transport, String clientId, BenchSettings settings)
            throws Exception {
        Target target = settings.remote().orElseThrow();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stack", stack.id());
        result.put("transport", transport.name());
        try (BenchClient client = stack.client(target, transport, settings.window())) {
            Workload workload = new Workload(client, clientId, settings);
            workload.warmUp();
            result.put("connectMicros", Histograms.encode(workload.connectTimes(settings.connects())));
            // The cost: CPU time of this JVM (every thread: the stack's and the bench's) for the throughput work.
            long cpuBefore = cpuNanos();
            result.put("qos0PerSecond", workload.throughput(0, settings.messages()));
            result.put("qos1PerSecond", workload.throughput(1, settings.messages()));
            result.put("cpuSeconds", (cpuNanos() - cpuBefore) / 1e9);
            result.put("latencyMicros", Histograms.encode(workload.latency(settings.latencyMessages())));
        }
        result.put("peakRssBytes", peakRssBytes());
        result.put("peakHeapBytes", ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage).mapToLong(usage -> usage.getUsed()).sum());
        return result;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The most memory this process held at once (Linux: VmHWM), or -1 where /proc is not there. */
    private static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception notLinux) {
            // reported as not measured
        }
        return -1;
    }
}
