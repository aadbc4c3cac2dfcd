package serverless.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One step that makes a program ready to run ({@code npm ci}, {@code pip install}, {@code go build}): its output is
 * kept only to say why it failed, which is what a suite then skips the program with.
 */
final class Installation {

    private Installation() {
    }

    /** Runs {@code command} in {@code directory}; empty when it succeeded, else the reason with the tail of its output. */
    static Optional<String> run(Path directory, List<String> command, String step, Duration bound) throws IOException {
        Path log = Files.createTempFile("install-", ".log");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.of(step + " in " + directory + " did not finish within " + bound.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                String output = Files.readString(log, StandardCharsets.UTF_8).strip();
                String tail = output.length() > 400 ? "..." + output.substring(output.length() - 400) : output;
                return Optional.of(step + " in " + directory + " failed (exit " + process.exitValue() + "): " + tail);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(step + " could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted during " + step);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
