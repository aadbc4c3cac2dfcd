package serverless.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * One stack over one transport, over all rounds: connect and latency histograms added up, the throughput and CPU
 * figures as the median of the rounds (a round disturbed by the machine moves a median less than a mean), and for
 * every figure its spread: the lowest, median and highest of the rounds' own values.
 */
final class StackFigures {

    final Stack stack;
    final Transport transport;
    private final Histogram connectMicros = new Histogram(3_600_000_000L, 3);
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final List<JsonNode> rounds = new ArrayList<>();
    /** Each round's own connect and latency histograms, for the spread of their percentiles. */
    private final List<Histogram> roundConnects = new ArrayList<>();
    private final List<Histogram> roundLatencies = new ArrayList<>();
    /** Each round's number, and the share of the machine that other work took meanwhile, in cores (negative: not
     * measured). */
    private final List<Integer> roundNumbers = new ArrayList<>();
    private final List<Double> roundOthersCores = new ArrayList<>();
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
    void add(JsonNode round, int number) {
        add(round, number, -1);
    }

    /** One round's figures, and how much of the machine other work took meanwhile (cores; negative: unknown). */
    void add(JsonNode round, int number, double othersCores) {
        rounds.add(round);
        roundNumbers.add(number);
        roundOthersCores.add(othersCores);
        Histogram connects = new Histogram(3_600_000_000L, 3);
        add(connects, round, "connectMicros");
        roundConnects.add(connects);
        connectMicros.add(connects);
        Histogram latencies = latencyOf(round);
        roundLatencies.add(latencies);
        latencyMicros.add(latencies);
    }

    /** The most of the machine other work took during one of this stack's rounds (cores), if measured. */
    OptionalDouble mostOthersCores() {
        return roundOthersCores.stream().mapToDouble(Double::doubleValue).filter(cores -> cores >= 0).max();
    }

    /** "round 2", "rounds 1 and 3": the rounds in which other work took more than {@code cores}. */
    String disturbedRounds(double cores) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            if (roundOthersCores.get(i) > cores) {
                numbers.add(String.valueOf(roundNumbers.get(i)));
            }
        }
        return numbers.size() == 1 ? "round " + numbers.get(0)
                : "rounds " + String.join(", ", numbers.subList(0, numbers.size() - 1)) + " and "
                        + numbers.get(numbers.size() - 1);
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

    /**
     * The value of one figure; see {@link Figure}. The percentiles are over every round's samples together (a p99
     * of all the messages, not a median of p99s); throughput and CPU are the median of the rounds; the peaks the
     * highest of them.
     */
    double get(Figure figure, int messagesPerRun) {
        return switch (figure) {
            case CONNECT_P50 -> connectMicros.getValueAtPercentile(50) / 1000.0;
            case CONNECT_P99 -> connectMicros.getValueAtPercentile(99) / 1000.0;
            case LATENCY_P50 -> latencyMicros.getValueAtPercentile(50) / 1000.0;
            case LATENCY_P99 -> latencyMicros.getValueAtPercentile(99) / 1000.0;
            case LATENCY_MAX -> latencyMicros.getMaxValue() / 1000.0;
            case QOS0, QOS1, CPU_PER_MESSAGE -> spread(figure, messagesPerRun).median();
            case PEAK_RSS, PEAK_HEAP -> spread(figure, messagesPerRun).max();
        };
    }

    /** The figure as each round measured it on its own: its lowest, median and highest value over the rounds. */
    Spread spread(Figure figure, int messagesPerRun) {
        double[] values = new double[rounds.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = roundValue(i, figure, messagesPerRun);
        }
        return Spread.of(values);
    }

    private double roundValue(int index, Figure figure, int messagesPerRun) {
        JsonNode round = rounds.get(index);
        Histogram connects = roundConnects.get(index);
        Histogram latencies = roundLatencies.get(index);
        return switch (figure) {
            case CONNECT_P50 -> connects.getValueAtPercentile(50) / 1000.0;
            case CONNECT_P99 -> connects.getValueAtPercentile(99) / 1000.0;
            case QOS0 -> round.get("qos0PerSecond").asDouble();
            case QOS1 -> round.get("qos1PerSecond").asDouble();
            case LATENCY_P50 -> latencies.getValueAtPercentile(50) / 1000.0;
            case LATENCY_P99 -> latencies.getValueAtPercentile(99) / 1000.0;
            case LATENCY_MAX -> latencies.getMaxValue() / 1000.0;
            // Both throughput runs: 2 x messages published and as many received.
            case CPU_PER_MESSAGE -> round.get("cpuSeconds").asDouble() * 1e6 / (2.0 * messagesPerRun);
            case PEAK_RSS -> megabytes(round.get("peakRssBytes").asLong());
            case PEAK_HEAP -> megabytes(round.get("peakHeapBytes").asLong());
        };
    }

    private static double megabytes(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    /**
     * One figure over the rounds. {@link #width()} is how far apart the rounds came out: a difference between two
     * stacks smaller than that is within what the machine varies from run to run, not a ranking. With one round
     * it is 0, and nothing is known of the spread.
     */
    record Spread(double min, double median, double max, int rounds) {

        static Spread of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            double median = sorted.length == 0 ? -1
                    : sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            return new Spread(sorted.length == 0 ? -1 : sorted[0], median,
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1], sorted.length);
        }

        double width() {
            return max - min;
        }
    }
}
