package serverless.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on rounds made up here (as the Node.js, Python and Go stacks send them: every sample): each figure's
 * spread over the rounds, the ratios marked where the difference is within it, and the consistency check that
 * refuses to read a Java library beating the floor as a result.
 */
class ResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 1000;

    @Test
    void everyFigureHasTheLowestMedianAndHighestOfItsRounds() {
        StackFigures vertx = stack(Stack.VERTX, round(3000, 20), round(4000, 22), round(3500, 30));

        StackFigures.Spread qos1 = vertx.spread(Figure.QOS1, MESSAGES);
        assertEquals(3000, qos1.min());
        assertEquals(3500, qos1.median());
        assertEquals(4000, qos1.max());
        assertEquals(3500, vertx.get(Figure.QOS1, MESSAGES), "throughput is the median of the rounds");
        StackFigures.Spread connect = vertx.spread(Figure.CONNECT_P50, MESSAGES);
        assertEquals(20, connect.min(), 0.1, "each round's own p50 of its connects, in ms");
        assertEquals(30, connect.max(), 0.1);
        assertEquals(1000, vertx.spread(Figure.QOS1, MESSAGES).width());
    }

    @Test
    void figuresWhoseRoundsOverlapAreNotRanked() {
        StackFigures floor = stack(Stack.FLOOR, round(4000, 18), round(4200, 18), round(4400, 18));
        StackFigures vertx = stack(Stack.VERTX, round(4100, 25), round(4150, 25), round(4300, 25));
        StackFigures paho = stack(Stack.PAHO_V3, round(2000, 300), round(2050, 300), round(2100, 300));
        Results results = results(floor, vertx, paho);

        assertTrue(results.withinSpreadOfFloor(vertx, Figure.QOS1), "4,100 to 4,300 against 4,000 to 4,400");
        assertFalse(results.withinSpreadOfFloor(paho, Figure.QOS1), "2,000 to 2,100 against 4,000 to 4,400: a ranking");
        assertEquals(vertx, results.best(Figure.QOS1).orElseThrow());
        assertFalse(results.withinSpreadOfBest(vertx, Figure.QOS1), "the best is not compared with itself");
        assertFalse(results.withinSpreadOfBest(paho, Figure.QOS1));
    }

    @Test
    void aWideSpreadOnOneSideIsStillARankingWhenEveryRoundOfOneBeatEveryRoundOfTheOther() {
        // Measured: the floor's QoS 1 over 3,000 messages varied by 1,380 a second, more than the 1,020 between the two.
        StackFigures floor = stack(Stack.FLOOR, round(3231, 20), round(3537, 20), round(4611, 20));
        StackFigures vertx = stack(Stack.VERTX, round(2452, 35), round(2517, 35), round(2617, 35));

        assertFalse(results(floor, vertx).withinSpreadOfFloor(vertx, Figure.QOS1));
    }

    @Test
    void withOneRoundNothingIsKnownOfTheSpreadSoNothingIsMarkedWithinIt() {
        StackFigures floor = stack(Stack.FLOOR, round(4000, 18));
        StackFigures vertx = stack(Stack.VERTX, round(4001, 25));

        assertFalse(results(floor, vertx).withinSpreadOfFloor(vertx, Figure.QOS1));
    }

    @Test
    void aJavaLibraryThatConnectsFasterThanTheFloorBeyondTheSpreadIsAWarningNotAResult() {
        // The one-round run: the floor, first, met a cold broker.
        StackFigures floor = stack(Stack.FLOOR, round(1960, 35.3));
        StackFigures vertx = stack(Stack.VERTX, round(3203, 28.0));
        StackFigures go = stack(Stack.PAHO_GO, round(5000, 6.7));
        Results results = results(floor, vertx, go);

        assertTrue(results.beatsFloor(vertx, Figure.CONNECT_P50));
        List<String> warnings = results.consistencyWarnings(vertx);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("lower connect p50 (28.0 ms) than the floor (35.3 ms), in a single round")
                && warnings.get(0).contains("disturbed"), warnings.get(0));
        assertFalse(results.beatsFloor(vertx, Figure.QOS1), "throughput is not a figure the floor must win");
        assertTrue(results.consistencyWarnings(go).isEmpty(),
                "Go's TLS is not the JDK's: beating the floor is a result there");
        assertTrue(new Results("", "", "", "", MESSAGES, List.of(floor, vertx), MachineLoad.notMeasured(), true)
                .consistencyWarnings(vertx).isEmpty(), "BENCH_SHARED_JVM: the Java stacks' figures are not their own");
    }

    @Test
    void aJavaLibraryWithinTheFloorsSpreadIsNoWarning() {
        StackFigures floor = stack(Stack.FLOOR, round(4000, 20), round(4000, 35), round(4000, 50));
        StackFigures vertx = stack(Stack.VERTX, round(4000, 27), round(4000, 28), round(4000, 29));

        assertFalse(results(floor, vertx).beatsFloor(vertx, Figure.CONNECT_P50), "27 to 29 against 20 to 50");
    }

    @Test
    void theConsoleMarksTheRatiosAndPrintsTheSpreadAndTheWarnings(@TempDir Path folder) throws Exception {
        StackFigures floor = stack(Stack.FLOOR, round(4000, 35), round(4200, 36), round(4400, 37));
        StackFigures vertx = stack(Stack.VERTX, round(4100, 20), round(4150, 21), round(4300, 22));
        Results results = results(floor, vertx);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Report.print(results, new PrintStream(console, true, StandardCharsets.UTF_8));
        Report.writeCsv(results, folder.resolve("results.csv"));
        Report.writeJson(results, folder.resolve("results.json"));

        String printed = console.toString(StandardCharsets.UTF_8);
        String vertxRatios = printed.lines().filter(line -> line.startsWith("Vert.x")).reduce((a, b) -> b).orElseThrow();
        assertTrue(vertxRatios.contains("!0.58 / 1.00"), "connect: beat the floor beyond the spread\n" + printed);
        assertTrue(vertxRatios.contains("~0.99 / 1.00"), "QoS 1: within the spread\n" + printed);
        assertTrue(printed.contains("4,000-4,400"), "the floor's QoS 1 spread\n" + printed);
        assertTrue(printed.contains("WARNING: Vert.x MQTT 5.0.7, MQTT 3.1.1 TLS has a lower connect p50 (21.0 ms) than the"
                + " floor (36.0 ms), every round of it (20.0 to 22.0 ms) below every round of the floor's (35.0 to 37.0 ms)"),
                printed);
        List<String> csv = Files.readAllLines(folder.resolve("results.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        int median = header.indexOf("qos1_msgs_per_s_median");
        assertEquals(List.of("qos1_msgs_per_s", "qos1_msgs_per_s_min", "qos1_msgs_per_s_median", "qos1_msgs_per_s_max"),
                header.subList(median - 2, median + 2));
        assertEquals("4150.000", csv.get(2).split(",")[median + 1], "Vert.x's median (its label holds a comma)");
        JsonNode json = JSON.readTree(folder.resolve("results.json").toFile());
        JsonNode vertxJson = json.get("stacks").get(1);
        assertEquals(4300, vertxJson.get("spread").get("qos1_msgs_per_s").get("max").asDouble());
        assertTrue(vertxJson.get("within_spread").get("vs_floor").toString().contains("\"qos1_msgs_per_s\""));
        assertFalse(vertxJson.get("within_spread").get("vs_floor").toString().contains("connect_p50_ms"));
        assertEquals(1, json.get("warnings").size(), json.get("warnings").toString());
    }

    private static Results results(StackFigures... stacks) {
        return new Results("2026-12-07", "Machine: test", "Broker: test", "Settings: test", MESSAGES, List.of(stacks),
                MachineLoad.notMeasured(), false);
    }

    private static StackFigures stack(Stack stack, JsonNode... rounds) {
        StackFigures figures = new StackFigures(stack, Transport.TLS);
        for (int i = 0; i < rounds.length; i++) {
            figures.add(rounds[i], i + 1);
        }
        return figures;
    }

    /** A round's figures: its QoS 0 and 1 throughput, and 11 connects around {@code connectMillis}. */
    private static JsonNode round(double qos1PerSecond, double connectMillis) {
        ObjectNode round = JSON.createObjectNode();
        round.put("qos0PerSecond", qos1PerSecond * 1.5);
        round.put("qos1PerSecond", qos1PerSecond);
        round.put("cpuSeconds", 0.2);
        round.put("peakRssBytes", 100L << 20);
        round.put("peakHeapBytes", 50L << 20);
        long micros = Math.round(connectMillis * 1000);
        LongStream.rangeClosed(-5, 5).forEach(offset -> round.withArray("connectMicrosValues").add(micros + offset * 10));
        LongStream.rangeClosed(1, 100).forEach(value -> round.withArray("latencyMicrosValues").add(700 + value));
        return round;
    }
}
