package serverless.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine line: cores, CPU model, JDK, OS. Figures mean little without it. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return String.format("Machine: %d cores%s, %s %s (%s), %s %s %s", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> " (" + line.substring(line.indexOf(':') + 1).trim() + ")").orElse("");
        } catch (Exception notLinux) {
            return "";
        }
    }
}
