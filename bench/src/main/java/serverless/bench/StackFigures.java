package serverless.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * One stack over one transport, over all rounds: connect and latency histograms added up, the throughput and CPU
 * figures as the median of the rounds (a round disturbed by the machine moves a median less than a mean).
 */
final class StackFigures {

    final Stack stack;
    final Transport transport;
    private final Histogram connectMicros = new Histogram(3_600_000_000L, 3);
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final List<JsonNode> rounds = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String notRunReason;

    StackFigures(Stack stack, Transport transport) {
        this.stack = stack;
        this.transport = transport;
    }

    String name() {
        return stack.id() + " " + transport;
    }

    /** One round's figures. The Java stacks send histograms; the others every sample, in microseconds. */
    void add(JsonNode round) {
        rounds.add(round);
        add(connectMicros, round, "connectMicros");
        add(latencyMicros, round, "latencyMicros");
    }

    /** One round's latency histogram, for the line printed as the round ends. */
    static Histogram latencyOf(JsonNode round) {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        add(histogram, round, "latencyMicros");
        return histogram;
    }

    private static void add(Histogram histogram, JsonNode round, String name) {
        if (round.has(name)) {
            histogram.add(Histograms.decode(round.get(name).asText()));
        } else {
            round.get(name + "Values").forEach(value -> histogram.recordValue(value.asLong()));
        }
    }

    /** A stack that could not run here at all (no Node.js or Go, say): reported, not failed. */
    void notRun(String reason) {
        notRunReason = reason;
    }

    String notRunReason() {
        return notRunReason;
    }

    void failed(String reason) {
        failures.add(reason);
    }

    boolean measured() {
        return !rounds.isEmpty();
    }

    List<String> failures() {
        return failures;
    }

    int rounds() {
        return rounds.size();
    }

    /** The value of one figure; see {@link Figure}. */
    double get(Figure figure, int messagesPerRun) {
        return switch (figure) {
            case CONNECT_P50 -> connectMicros.getValueAtPercentile(50) / 1000.0;
            case CONNECT_P99 -> connectMicros.getValueAtPercentile(99) / 1000.0;
            case QOS0 -> median(round -> round.get("qos0PerSecond").asDouble());
            case QOS1 -> median(round -> round.get("qos1PerSecond").asDouble());
            case LATENCY_P50 -> latencyMicros.getValueAtPercentile(50) / 1000.0;
            case LATENCY_P99 -> latencyMicros.getValueAtPercentile(99) / 1000.0;
            case LATENCY_MAX -> latencyMicros.getMaxValue() / 1000.0;
            // Both throughput runs: 2 x messages published and as many received.
            case CPU_PER_MESSAGE -> median(round -> round.get("cpuSeconds").asDouble()) * 1e6 / (2.0 * messagesPerRun);
            case PEAK_RSS -> rounds.stream().mapToLong(round -> round.get("peakRssBytes").asLong()).max().orElse(-1)
                    / (1024.0 * 1024.0);
            case PEAK_HEAP -> rounds.stream().mapToLong(round -> round.get("peakHeapBytes").asLong()).max().orElse(-1)
                    / (1024.0 * 1024.0);
        };
    }

    private double median(ToDoubleFunction<JsonNode> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
