package serverless.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every stack's figures, and each figure as a ratio (value divided by the reference's) to the floor and to the best
 * stack: the best of the library stacks, the floor left out. A ratio below 1 means less of the figure: less
 * throughput, or a shorter time, or less memory. Beside each ratio, whether the difference is within the run-to-run
 * spread (then it is no ranking), and the warnings of a run that cannot be read as a result.
 */
record Results(String date, String machine, String broker, String settings, int messagesPerRun,
        List<StackFigures> stacks, MachineLoad load, boolean sharedJvm) {

    /** The figures the floor must win, since it does strictly less work than any Java library for them. */
    static final List<Figure> FLOOR_WINS = List.of(Figure.CONNECT_P50, Figure.CPU_PER_MESSAGE);

    double value(StackFigures figures, Figure figure) {
        return figures.get(figure, messagesPerRun);
    }

    StackFigures.Spread spread(StackFigures figures, Figure figure) {
        return figures.spread(figure, messagesPerRun);
    }

    /** The TLS floor: the reference of every row, WebSocket ones too (the floor has no WebSocket). */
    Optional<StackFigures> floor() {
        return stacks.stream().filter(figures -> figures.stack == Stack.FLOOR && figures.measured()).findFirst();
    }

    /** The library stack (not the floor) with the best value of the figure. */
    Optional<StackFigures> best(Figure figure) {
        return stacks.stream().filter(other -> other.stack != Stack.FLOOR && other.measured())
                .filter(other -> value(other, figure) >= 0)
                .reduce((a, b) -> better(figure, value(b, figure), value(a, figure)) ? b : a);
    }

    private static boolean better(Figure figure, double value, double than) {
        return figure.higherIsBetter ? value > than : value < than;
    }

    OptionalDouble toFloor(StackFigures figures, Figure figure) {
        return floor().map(floor -> ratio(value(figures, figure), value(floor, figure))).orElse(OptionalDouble.empty());
    }

    OptionalDouble toBest(StackFigures figures, Figure figure) {
        return best(figure).map(best -> ratio(value(figures, figure), value(best, figure)))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Whether the two stacks' figures are within each other's spread: their rounds' ranges (lowest to highest)
     * overlap, so some round of the one did as well as some round of the other, and the run does not tell which is
     * better; the ratio is then no ranking. With one round nothing is known of the spread, so nothing is within it.
     */
    boolean withinSpread(StackFigures figures, StackFigures reference, Figure figure) {
        StackFigures.Spread one = spread(figures, figure);
        StackFigures.Spread other = spread(reference, figure);
        if (figures == reference || one.rounds() < 2 || other.rounds() < 2) {
            return false;
        }
        return one.min() <= other.max() && other.min() <= one.max();
    }

    boolean withinSpreadOfFloor(StackFigures figures, Figure figure) {
        return floor().map(floor -> withinSpread(figures, floor, figure)).orElse(false);
    }

    boolean withinSpreadOfBest(StackFigures figures, Figure figure) {
        return best(figure).map(best -> withinSpread(figures, best, figure)).orElse(false);
    }

    /**
     * A Java library stack that did better than the floor where the floor cannot lose ({@link #FLOOR_WINS}), beyond
     * the spread (their rounds' ranges do not overlap): the floor does the same work with less (no library in between, the same JDK TLS), so
     * this says the run was disturbed (the floor's rounds met a busier machine or a colder broker), not that the
     * library is faster.
     */
    boolean beatsFloor(StackFigures figures, Figure figure) {
        Optional<StackFigures> floor = floor();
        // BENCH_SHARED_JVM: the Java stacks ran one after the other in one JVM, the floor first and coldest, so their
        // connect and CPU figures are not each one's own, and this check has nothing to say.
        if (sharedJvm || floor.isEmpty() || figures.stack == Stack.FLOOR || figures.stack.program().isPresent()
                || !FLOOR_WINS.contains(figure) || !figures.measured()) {
            return false;
        }
        return value(figures, figure) < value(floor.get(), figure) && !withinSpread(figures, floor.get(), figure);
    }

    /** What the consistency check found, one line each: a Java library that beat the floor. */
    List<String> consistencyWarnings(StackFigures figures) {
        List<String> warnings = new ArrayList<>();
        for (Figure figure : FLOOR_WINS) {
            if (beatsFloor(figures, figure)) {
                StackFigures floor = floor().orElseThrow();
                StackFigures.Spread mine = spread(figures, figure);
                StackFigures.Spread floors = spread(floor, figure);
                String margin = Math.min(mine.rounds(), floors.rounds()) < 2 ? "in a single round (no spread known)"
                        : "every round of it (" + range(mine, figure) + ") below every round of the floor's ("
                                + range(floors, figure) + ")";
                warnings.add(figures.stack.label() + " " + figures.transport + " has a lower " + figure.title + " ("
                        + Report.number(value(figures, figure)) + " " + figure.unit + ") than the floor ("
                        + Report.number(value(floor, figure)) + " " + figure.unit + "), " + margin + ". The floor does"
                        + " strictly less work than any Java library, so the run was disturbed: this is not a result."
                        + " Run again on an idle machine");
            }
        }
        return warnings;
    }

    /** Every warning of the run: the machine's load, then the consistency check's. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>(load.warnings(stacks));
        stacks.forEach(figures -> warnings.addAll(consistencyWarnings(figures)));
        return warnings;
    }

    private static String range(StackFigures.Spread spread, Figure figure) {
        return Report.number(spread.min()) + " to " + Report.number(spread.max()) + " " + figure.unit;
    }

    private static OptionalDouble ratio(double value, double reference) {
        return value < 0 || reference <= 0 ? OptionalDouble.empty() : OptionalDouble.of(value / reference);
    }
}
