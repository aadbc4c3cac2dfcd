package serverless.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/** The results as a console table, CSV ({@code bench-results.csv}) and JSON ({@code bench-results.json}). */
final class Report {

    /** The figures of the console table, in its order. */
    private static final List<Figure> TABLE = List.of(Figure.CONNECT_P50, Figure.CONNECT_P99, Figure.QOS0,
            Figure.QOS1, Figure.LATENCY_P50, Figure.LATENCY_P99, Figure.LATENCY_MAX, Figure.CPU_PER_MESSAGE,
            Figure.PEAK_RSS);
    /** The ratios printed below it (CSV and JSON have every figure's). */
    private static final List<Figure> RATIOS = List.of(Figure.CONNECT_P50, Figure.QOS0, Figure.QOS1,
            Figure.LATENCY_P50, Figure.LATENCY_P99, Figure.CPU_PER_MESSAGE, Figure.PEAK_RSS);

    static final String WITHIN_SPREAD = "~";
    static final String BEATS_FLOOR = "!";

    private Report() {
    }

    static void print(Results results, PrintStream out) {
        out.println();
        out.println(results.machine());
        out.println(results.broker());
        out.println(results.settings());
        out.println(results.load().describe());
        out.println();
        out.println(header("stack", 12, TABLE));
        StringBuilder units = new StringBuilder(String.format("%-36s %-4s", "", ""));
        TABLE.forEach(figure -> units.append(String.format(" %12s", figure.unit)));
        out.println(units);
        for (StackFigures figures : results.stacks()) {
            StringBuilder row = rowStart(figures);
            if (!figures.measured()) {
                out.println(row + (figures.notRunReason() != null ? " not run: " + figures.notRunReason()
                        : " failed: " + String.join("; ", figures.failures())));
                continue;
            }
            TABLE.forEach(figure -> row.append(String.format(" %12s", number(results.value(figures, figure)))));
            out.println(row);
        }
        printSpread(results, out);
        printRatios(results, out);
        results.stacks().stream().filter(figures -> !figures.failures().isEmpty() && figures.measured())
                .forEach(figures -> out.println(figures.name() + ": " + figures.failures().size()
                        + " round(s) failed: " + String.join("; ", figures.failures())));
        List<String> warnings = results.warnings();
        if (!warnings.isEmpty()) {
            out.println();
            warnings.forEach(warning -> out.println("WARNING: " + warning));
        }
    }

    /** Each figure's lowest and highest round, where there was more than one. */
    private static void printSpread(Results results, PrintStream out) {
        int rounds = results.stacks().stream().mapToInt(StackFigures::rounds).max().orElse(0);
        out.println();
        if (rounds < 2) {
            out.println("One round: the spread from run to run is not known, so no difference below is marked as"
                    + " within it. The default 3 rounds show it.");
            return;
        }
        out.println("Spread: each figure's lowest and highest round (each round's own percentiles, throughput, CPU)");
        printRows(results, out, TABLE, 14, (figures, figure) -> {
            StackFigures.Spread spread = results.spread(figures, figure);
            return number(spread.min()) + "-" + number(spread.max());
        });
    }

    /**
     * The ratios, each marked where it is no ranking: {@value #WITHIN_SPREAD} when the difference is within the
     * spread, {@value #BEATS_FLOOR} where a Java library beat the floor on what the floor cannot lose.
     */
    private static void printRatios(Results results, PrintStream out) {
        out.println();
        out.println("Ratios: value / the floor's, and value / the best stack's (the floor not counted as a stack)");
        printRows(results, out, RATIOS, 15, (figures, figure) -> {
            String toFloor = (results.beatsFloor(figures, figure) ? BEATS_FLOOR
                    : results.withinSpreadOfFloor(figures, figure) ? WITHIN_SPREAD : "")
                    + ratio(results.toFloor(figures, figure));
            String toBest = (results.withinSpreadOfBest(figures, figure) ? WITHIN_SPREAD : "")
                    + ratio(results.toBest(figures, figure));
            return toFloor + " / " + toBest;
        });
        out.println(WITHIN_SPREAD + " within the spread: the two figures' rounds overlap (some round of each did as well"
                + " as some round of the other), so the run cannot tell them apart: no ranking");
        out.println(BEATS_FLOOR + " a Java library did better than the floor, which does strictly less work: a"
                + " disturbed run (see the warnings), not a result");
    }

    /** A header, then a row per measured stack: one cell per figure, {@code width} wide. */
    private static void printRows(Results results, PrintStream out, List<Figure> columns, int width,
            BiFunction<StackFigures, Figure, String> cell) {
        out.println(header("stack", width, columns));
        for (StackFigures figures : results.stacks()) {
            if (figures.measured()) {
                StringBuilder row = rowStart(figures);
                columns.forEach(figure -> row.append(String.format(" %" + width + "s", cell.apply(figures, figure))));
                out.println(row);
            }
        }
    }

    private static String header(String first, int width, List<Figure> figures) {
        StringBuilder header = new StringBuilder(String.format("%-36s %-4s", first, ""));
        figures.forEach(figure -> header.append(String.format(" %" + width + "s", figure.title)));
        return header.toString();
    }

    private static StringBuilder rowStart(StackFigures figures) {
        return new StringBuilder(String.format("%-36s %-4s", figures.stack.label(), figures.transport));
    }

    /**
     * One row per stack and transport: each figure's value (as the table has it), then its lowest, median and highest
     * round; the ratios; the most of a core other work took during a round; the warnings and failures.
     */
    static void writeCsv(Results results, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder("stack,label,transport,rounds");
        for (Figure figure : Figure.values()) {
            header.append(',').append(figure.column).append(',').append(figure.column).append("_min,")
                    .append(figure.column).append("_median,").append(figure.column).append("_max");
        }
        for (Figure figure : Figure.values()) {
            header.append(',').append(figure.column).append("_vs_floor,").append(figure.column).append("_vs_best");
        }
        lines.add(header.append(",others_cores_max,warnings,failures").toString());
        for (StackFigures figures : results.stacks()) {
            StringBuilder row = new StringBuilder(figures.stack.id() + "," + quoted(figures.stack.label()) + ","
                    + figures.transport + "," + figures.rounds());
            boolean measured = figures.measured();
            for (Figure figure : Figure.values()) {
                StackFigures.Spread spread = results.spread(figures, figure);
                row.append(',').append(measured ? plain(results.value(figures, figure)) : "")
                        .append(',').append(measured ? plain(spread.min()) : "")
                        .append(',').append(measured ? plain(spread.median()) : "")
                        .append(',').append(measured ? plain(spread.max()) : "");
            }
            for (Figure figure : Figure.values()) {
                row.append(',').append(measured ? plain(results.toFloor(figures, figure)) : "")
                        .append(',').append(measured ? plain(results.toBest(figures, figure)) : "");
            }
            row.append(',').append(plain(figures.mostOthersCores()));
            row.append(',').append(quoted(String.join("; ", results.consistencyWarnings(figures))));
            String problems = figures.notRunReason() != null ? "not run: " + figures.notRunReason()
                    : String.join("; ", figures.failures());
            row.append(',').append(quoted(problems));
            lines.add(row.toString());
        }
        Files.write(file, lines);
    }

    static void writeJson(Results results, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("date", results.date());
        root.put("machine", results.machine());
        root.put("broker", results.broker());
        root.put("settings", results.settings());
        ObjectNode load = root.putObject("load");
        load.put("cores", results.load().cores());
        results.load().before().ifPresent(value -> load.put("before_1min", round(value)));
        results.load().duringMin().ifPresent(value -> load.put("during_1min_min", round(value)));
        results.load().duringMax().ifPresent(value -> load.put("during_1min_max", round(value)));
        ArrayNode warnings = root.putArray("warnings");
        results.warnings().forEach(warnings::add);
        ArrayNode stacks = root.putArray("stacks");
        for (StackFigures figures : results.stacks()) {
            ObjectNode stack = stacks.addObject();
            stack.put("stack", figures.stack.id());
            stack.put("label", figures.stack.label());
            stack.put("transport", figures.transport.name());
            stack.put("rounds", figures.rounds());
            if (figures.measured()) {
                ObjectNode values = stack.putObject("figures");
                ObjectNode spreads = stack.putObject("spread");
                ObjectNode toFloor = stack.putObject("vs_floor");
                ObjectNode toBest = stack.putObject("vs_best");
                ArrayNode withinFloor = stack.putObject("within_spread").putArray("vs_floor");
                ArrayNode withinBest = ((ObjectNode) stack.get("within_spread")).putArray("vs_best");
                for (Figure figure : Figure.values()) {
                    values.put(figure.column, round(results.value(figures, figure)));
                    StackFigures.Spread spread = results.spread(figures, figure);
                    ObjectNode range = spreads.putObject(figure.column);
                    range.put("min", round(spread.min()));
                    range.put("median", round(spread.median()));
                    range.put("max", round(spread.max()));
                    results.toFloor(figures, figure).ifPresent(ratio -> toFloor.put(figure.column, round(ratio)));
                    results.toBest(figures, figure).ifPresent(ratio -> toBest.put(figure.column, round(ratio)));
                    if (results.withinSpreadOfFloor(figures, figure)) {
                        withinFloor.add(figure.column);
                    }
                    if (results.withinSpreadOfBest(figures, figure)) {
                        withinBest.add(figure.column);
                    }
                }
                figures.mostOthersCores().ifPresent(cores -> stack.put("others_cores_max", round(cores)));
                ArrayNode stackWarnings = stack.putArray("warnings");
                results.consistencyWarnings(figures).forEach(stackWarnings::add);
            }
            if (figures.notRunReason() != null) {
                stack.put("not_run", figures.notRunReason());
            }
            ArrayNode failures = stack.putArray("failures");
            figures.failures().forEach(failures::add);
        }
        mapper.writeValue(file.toFile(), root);
    }

    /** 3 significant digits or so, thousands grouped: what the table needs to compare. */
    static String number(double value) {
        if (value < 0) {
            return "n/a";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "-";
    }

    private static String plain(double value) {
        return value < 0 ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String quoted(String text) {
        return '"' + text.replace('"', '\'') + '"';
    }

    private static String plain(OptionalDouble value) {
        return value.isPresent() ? plain(value.getAsDouble()) : "";
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
