package serverless.doctor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The block to paste into a support ticket: what Serverless support asks for (the deployment, the client
 * and its version, the platform, the exact error), with the password left out: it says only whether one
 * was set.
 */
final class SupportTicket {

    static final String BEGIN = "----- support ticket: copy from here (it holds no password) -----";
    static final String END = "----- end of support ticket -----";

    private SupportTicket() {
    }

    static List<String> lines(Settings settings, Report report, Versions versions, Properties system, Instant when) {
        List<String> lines = new ArrayList<>();
        lines.add(BEGIN);
        lines.add(field("Deployment address", settings.host()));
        lines.add(field("Ports", settings.tlsPort() + " (MQTT over TLS)" + (settings.checkWss()
                ? ", " + settings.wsPort() + " (MQTT over WebSocket with TLS, path " + settings.wsPath() + ")"
                : ", WebSocket not checked")));
        lines.add(field("Username", settings.username().orElse("not set")));
        lines.add(field("Password", settings.password().isPresent() ? "set (not shown)" : "not set"));
        lines.add(field("CA file", settings.caFile().map(Object::toString).orElse("not set (JDK default trust store)")));
        lines.add(field("Client", "Eclipse Paho Java MQTT v5 client " + versions.paho()
                + ", in serverless doctor " + versions.doctor()));
        lines.add(field("Client ids", settings.clientIds().describe(settings.checkWss())));
        lines.add(field("Java", system.getProperty("java.runtime.version", system.getProperty("java.version"))
                + ", " + system.getProperty("java.vendor") + " (" + system.getProperty("java.vm.name") + ")"));
        lines.add(field("OS", system.getProperty("os.name") + " " + system.getProperty("os.version")
                + " (" + system.getProperty("os.arch") + ")"));
        lines.add(field("Time (UTC)", when.truncatedTo(ChronoUnit.SECONDS).toString()));
        Optional<StepResult> failure = report.firstFailure();
        lines.add(field("Result", failure.map(f -> "FAIL at step " + f.step().label() + ": " + f.summary())
                .orElse("PASS")));
        failure.flatMap(StepResult::error).ifPresent(error -> lines.add(field("Error", error)));
        lines.add(field("Steps", report.results().stream()
                .map(StepResult::step).distinct()
                .map(step -> step.label() + " " + report.verdictOf(step))
                .collect(Collectors.joining(", "))));
        lines.add(END);
        return lines;
    }

    private static String field(String name, String value) {
        return String.format("%-19s %s", name + ":", value);
    }
}
