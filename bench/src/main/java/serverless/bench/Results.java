package serverless.bench;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every stack's figures, and each figure as a ratio (value divided by the reference's) to the floor and to the best
 * stack: the best of the library stacks, the floor left out. A ratio below 1 means less of the figure: less
 * throughput, or a shorter time, or less memory.
 */
record Results(String date, String machine, String broker, String settings, int messagesPerRun,
        List<StackFigures> stacks) {

    double value(StackFigures figures, Figure figure) {
        return figures.get(figure, messagesPerRun);
    }

    /** The TLS floor: the reference of every row, WebSocket ones too (the floor has no WebSocket). */
    Optional<StackFigures> floor() {
        return stacks.stream().filter(figures -> figures.stack == Stack.FLOOR && figures.measured()).findFirst();
    }

    OptionalDouble toFloor(StackFigures figures, Figure figure) {
        return floor().map(floor -> ratio(value(figures, figure), value(floor, figure))).orElse(OptionalDouble.empty());
    }

    OptionalDouble toBest(StackFigures figures, Figure figure) {
        OptionalDouble best = stacks.stream().filter(other -> other.stack != Stack.FLOOR && other.measured())
                .mapToDouble(other -> value(other, figure)).filter(value -> value >= 0)
                .reduce(figure.higherIsBetter ? Math::max : Math::min);
        return best.isPresent() ? ratio(value(figures, figure), best.getAsDouble()) : OptionalDouble.empty();
    }

    private static OptionalDouble ratio(double value, double reference) {
        return value < 0 || reference <= 0 ? OptionalDouble.empty() : OptionalDouble.of(value / reference);
    }
}
