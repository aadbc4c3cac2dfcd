package serverless.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link StackRun} in a JVM of its own (this jar's class path, the same java), or a Node.js or Python stack's
 * script, or the Go stack's binary, and reads back its figures.
 * Its output goes to {@code <output>/logs/<name>.out} and {@code .err}, which a failure points to.
 */
final class StackProcess {

    /** The stack's process that is running, if any, for {@link #stopRunning()}. */
    private static volatile Process running;

    private StackProcess() {
    }

    private static volatile boolean stopping;

    /** Ends the stack's process that is running, and starts no other (the bench was interrupted). */
    static void stopRunning() {
        stopping = true;
        Process process = running;
        if (process != null) {
            process.destroyForcibly();
        }
    }

    static JsonNode run(Stack stack, Transport transport, String clientId, BenchSettings settings, Target target,
            Optional<Path> hostsFile, String name) throws IOException, InterruptedException {
        return runAll(stack, transport, clientId, Map.of(), settings, target, hostsFile, name).get(0);
    }

    /**
     * Several Java stacks one after the other in one JVM ({@code BENCH_SHARED_JVM}): their results, or for one that
     * failed a {@link StackRun#FAILED_PREFIX} line, as text nodes "FAILED stack TRANSPORT reason".
     */
    static List<JsonNode> runShared(String pairs, BenchSettings settings, Target target, Optional<Path> hostsFile,
            String name) throws IOException, InterruptedException {
        return runAll(Stack.FLOOR, Transport.TLS, "", Map.of("BENCH_PAIRS", pairs), settings, target, hostsFile, name);
    }

    private static List<JsonNode> runAll(Stack stack, Transport transport, String clientId, Map<String, String> extra,
            BenchSettings settings, Target target, Optional<Path> hostsFile, String name)
            throws IOException, InterruptedException {
        Path logs = Files.createDirectories(settings.outputDir().resolve("logs"));
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = processBuilder(stack, transport, clientId, extra, settings, target, hostsFile);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stopping) {
            throw new IOException("interrupted");
        }
        Process process = builder.start();
        running = process;
        // Generous: every wait inside has its own 10 or 20 s bound; this only catches a JVM that hangs.
        if (!process.waitFor(timeoutMinutes(settings), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("no result within " + timeoutMinutes(settings) + " minutes (see " + err + ")");
        }
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith(StackRun.RESULT_PREFIX)) {
                results.add(new ObjectMapper().readTree(line.substring(StackRun.RESULT_PREFIX.length())));
            } else if (line.startsWith(StackRun.FAILED_PREFIX)) {
                results.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(line));
            }
        }
        if (!results.isEmpty()) {
            return results;
        }
        String error = Files.readAllLines(err).stream().filter(line -> line.startsWith("ERROR: ")).findFirst()
                .map(line -> line.substring("ERROR: ".length()))
                .orElse("exit code " + process.exitValue() + " and no result");
        throw new IOException(error + " (see " + err + ")");
    }

    /**
     * The process of one stack over one transport: the settings, the stack, transport and client id as environment
     * variables, for a Java stack {@link StackRun} in a JVM of its own, for the others their program as the harness
     * runs it (a script by its interpreter, the Go stack as its binary), with a resolver that reads the same hosts
     * file.
     */
    static ProcessBuilder processBuilder(Stack stack, Transport transport, String clientId, Map<String, String> extra,
            BenchSettings settings, Target target, Optional<Path> hostsFile) {
        Map<String, String> variables = new java.util.LinkedHashMap<>(settings.asEnvironment(target));
        variables.put("BENCH_STACK", stack.id());
        variables.put("BENCH_TRANSPORT", transport.name());
        variables.put("BENCH_CLIENT_ID", clientId);
        variables.putAll(extra);
        return stack.program().isPresent()
                ? stack.program().get().processBuilder(variables, hostsFile)
                : javaProcess(settings, hostsFile, variables);
    }

    /** A Java stack: {@link StackRun} in a JVM of its own, on this JVM's class path. */
    private static ProcessBuilder javaProcess(BenchSettings settings, Optional<Path> hostsFile,
            Map<String, String> variables) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.jvmOptions());
        // The local deployment's name resolves to this machine in that JVM only: no /etc/hosts entry needed,
        // and every stack still sends it as SNI and checks the certificate against it.
        hostsFile.ifPresent(file -> command.add("-Djdk.net.hosts.file=" + file));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StackRun.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(variables);
        return builder;
    }

    private static long timeoutMinutes(BenchSettings settings) {
        long paced = settings.publishRate() == 0 ? 0
                : 3L * (settings.messages() + settings.warmupMessages()) / settings.publishRate() / 60;
        return 10 + paced + 2L * settings.messages() / 1000 / 60;
    }
}
