package serverless.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The report again, from a run's logs, for the rounds chosen: when some rounds of a run were disturbed (another job
 * took the machine), the others still count. Against the local broker, with the settings of the environment (set
 * the same BENCH_* variables as for the run):
 * {@code java -cp bench/target/bench.jar serverless.bench.FromLogs bench/target/logs 1} writes the CSV, JSON and
 * chart beside the logs folder.
 */
public final class FromLogs {

    private FromLogs() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path logs = Path.of(args[0]);
        List<Integer> rounds = Arrays.stream(args).skip(1).map(Integer::valueOf).toList();
        BenchSettings settings = BenchSettings.fromEnvironment(logs.getParent());
        List<StackFigures> all = new ArrayList<>();
        for (Stack stack : settings.stacks()) {
            for (Transport transport : stack.transports()) {
                StackFigures figures = new StackFigures(stack, transport);
                for (int round : rounds) {
                    Path out = logs.resolve(stack.id() + "-" + transport.name().toLowerCase() + "-round" + round + ".out");
                    Files.readAllLines(out).stream().filter(line -> line.startsWith(StackRun.RESULT_PREFIX)).findFirst()
                            .ifPresentOrElse(line -> figures.add(read(line), round), () -> figures.failed("round " + round
                                    + ": no result in " + out));
                }
                all.add(figures);
            }
        }
        Results results = new Results(LocalDate.now().toString(), Machine.describe(),
                Bench.LOCAL_BROKER + "deployment.emqxsl.test", "Settings: " + settings.describe()
                        .replaceAll("\\d+ rounds?", "rounds " + rounds + " of the run"), settings.messages(), all,
                MachineLoad.notMeasured(), settings.sharedJvm());
        Bench.write(results, logs.getParent(), System.out);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String line) {
        try {
            return new ObjectMapper().readTree(line.substring(StackRun.RESULT_PREFIX.length()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
