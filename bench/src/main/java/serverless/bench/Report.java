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

/** The results as a console table, CSV ({@code bench-results.csv}) and JSON ({@code bench-results.json}). */
final class Report {

    /** The figures of the console table, in its order. */
    private static final List<Figure> TABLE = List.of(Figure.CONNECT_P50, Figure.CONNECT_P99, Figure.QOS0,
            Figure.QOS1, Figure.LATENCY_P50, Figure.LATENCY_P99, Figure.LATENCY_MAX, Figure.CPU_PER_MESSAGE,
            Figure.PEAK_RSS);
    /** The ratios printed below it (CSV and JSON have every figure's). */
    private static final List<Figure> RATIOS = List.of(Figure.CONNECT_P50, Figure.QOS0, Figure.QOS1,
            Figure.LATENCY_P50, Figure.LATENCY_P99, Figure.CPU_PER_MESSAGE, Figure.PEAK_RSS);

    private Report() {
    }

    static void print(Results results, PrintStream out) {
        out.println();
        out.println(results.machine());
        out.println(results.broker());
        out.println(results.settings());
        out.println();
        StringBuilder header = new StringBuilder(String.format("%-36s %-4s", "stack", ""));
        TABLE.forEach(figure -> header.append(String.format(" %12s", figure.title)));
        out.println(header);
        StringBuilder units = new StringBuilder(String.format("%-36s %-4s", "", ""));
        TABLE.forEach(figure -> units.append(String.format(" %12s", figure.unit)));
        out.println(units);
        for (StackFigures figures : results.stacks()) {
            StringBuilder row = new StringBuilder(String.format("%-36s %-4s", figures.stack.label(), figures.transport));
            if (!figures.measured()) {
                out.println(row + (figures.notRunReason() != null ? " not run: " + figures.notRunReason()
                        : " failed: " + String.join("; ", figures.failures())));
                continue;
            }
            TABLE.forEach(figure -> row.append(String.format(" %12s", number(results.value(figures, figure)))));
            out.println(row);
        }
        out.println();
        out.println("Ratios: value / the floor's, and value / the best stack's (the floor not counted as a stack)");
        StringBuilder ratioHeader = new StringBuilder(String.format("%-36s %-4s", "stack", ""));
        RATIOS.forEach(figure -> ratioHeader.append(String.format(" %13s", figure.title)));
        out.println(ratioHeader);
        for (StackFigures figures : results.stacks()) {
            if (!figures.measured()) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format("%-36s %-4s", figures.stack.label(), figures.transport));
            RATIOS.forEach(figure -> row.append(String.format(" %13s", ratio(results.toFloor(figures, figure))
                    + " / " + ratio(results.toBest(figures, figure)))));
            out.println(row);
        }
        results.stacks().stream().filter(figures -> !figures.failures().isEmpty() && figures.measured())
                .forEach(figures -> out.println(figures.name() + ": " + figures.failures().size()
                        + " round(s) failed: " + String.join("; ", figures.failures())));
    }

    static void writeCsv(Results results, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder("stack,label,transport,rounds");
        for (Figure figure : Figure.values()) {
            header.append(',').append(figure.column);
        }
        for (Figure figure : Figure.values()) {
            header.append(',').append(figure.column).append("_vs_floor,").append(figure.column).append("_vs_best");
        }
        lines.add(header.append(",failures").toString());
        for (StackFigures figures : results.stacks()) {
            StringBuilder row = new StringBuilder(figures.stack.id() + ",\"" + figures.stack.label() + "\","
                    + figures.transport + "," + figures.rounds());
            for (Figure figure : Figure.values()) {
                row.append(',').append(figures.measured() ? plain(results.value(figures, figure)) : "");
            }
            for (Figure figure : Figure.values()) {
                row.append(',').append(figures.measured() ? plain(results.toFloor(figures, figure)) : "")
                        .append(',').append(figures.measured() ? plain(results.toBest(figures, figure)) : "");
            }
            String problems = figures.notRunReason() != null ? "not run: " + figures.notRunReason()
                    : String.join("; ", figures.failures());
            row.append(",\"").append(problems.replace('"', '\'')).append('"');
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
        ArrayNode stacks = root.putArray("stacks");
        for (StackFigures figures : results.stacks()) {
            ObjectNode stack = stacks.addObject();
            stack.put("stack", figures.stack.id());
            stack.put("label", figures.stack.label());
            stack.put("transport", figures.transport.name());
            stack.put("rounds", figures.rounds());
            if (figures.measured()) {
                ObjectNode values = stack.putObject("figures");
                ObjectNode toFloor = stack.putObject("vs_floor");
                ObjectNode toBest = stack.putObject("vs_best");
                for (Figure figure : Figure.values()) {
                    values.put(figure.column, round(results.value(figures, figure)));
                    results.toFloor(figures, figure).ifPresent(ratio -> toFloor.put(figure.column, round(ratio)));
                    results.toBest(figures, figure).ifPresent(ratio -> toBest.put(figure.column, round(ratio)));
                }
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

    private static String plain(OptionalDouble value) {
        return value.isPresent() ? plain(value.getAsDouble()) : "";
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
