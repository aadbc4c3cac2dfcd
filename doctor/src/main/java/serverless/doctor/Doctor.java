package serverless.doctor;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The connection doctor: walks the Serverless troubleshooting list (address, ports, TLS, SNI, credentials,
 * a round trip with a known-good client), prints one line per step, what to do about the first failure,
 * and a support-ticket block without the password. Exit code 0 when nothing failed, 1 when a step failed,
 * 2 for a configuration error.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Doctor.VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Checks a connection to an EMQX Cloud Serverless deployment step by step: address, ports,"
                + " TLS, SNI, MQTT CONNECT (over TLS and WebSocket), and a QoS 1 round trip.",
                "Configured by the same variables as the examples: MQTT_HOST, MQTT_PORT (8883), MQTT_WS_PORT (8084),"
                        + " MQTT_WS_PATH (/mqtt), MQTT_USERNAME, MQTT_PASSWORD, MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID;"
                        + " an option overrides its variable."},
        footer = {"The password is read from MQTT_PASSWORD only (a command line is visible to other users)"
                + " and never printed.",
                "Exit code: 0 every step passed (warnings allowed), 1 a step failed, 2 configuration error."})
public final class Doctor implements Callable<Integer> {

    /** Paho logs through java.util.logging; held here so the setting is not garbage-collected. */
    private static final Logger PAHO_LOGGER = Logger.getLogger("org.eclipse.paho");

    @Option(names = "--host", paramLabel = "HOST", description = "the deployment's address (MQTT_HOST)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port for MQTT over TLS (MQTT_PORT, default 8883)")
    private String port;

    @Option(names = "--ws-port", paramLabel = "PORT",
            description = "port for MQTT over WebSocket with TLS (MQTT_WS_PORT, default 8084)")
    private String wsPort;

    @Option(names = "--ws-path", paramLabel = "PATH", description = "WebSocket path (MQTT_WS_PATH, default /mqtt)")
    private String wsPath;

    @Option(names = "--username", paramLabel = "USER", description = "MQTT user name (MQTT_USERNAME)")
    private String username;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "PEM file of CA certificates to trust (MQTT_CA_FILE, default: the JDK's trust store)")
    private String caFile;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "topic for the round trip (MQTT_TOPIC, default: serverless-doctor/<random>)")
    private String topic;

    @Option(names = "--client-id", paramLabel = "ID", description = "client id to check, used for the connection over"
            + " TLS (MQTT_CLIENT_ID, default: the doctor's own); a client connected with it now is disconnected")
    private String clientId;

    @Option(names = "--no-wss", description = "check MQTT over TLS only, not the WebSocket port")
    private boolean noWss;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    Doctor(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Parses the options and runs the doctor; returns the exit code. */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return new CommandLine(new Doctor(environment, out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        Settings settings;
        Trust trust;
        try {
            settings = Settings.from(variables(), !noWss);
            trust = Trust.of(settings.caFile());
        } catch (SettingsException e) {
            err.println("ERROR: " + e.getMessage() + ".");
            return 2;
        } catch (Exception e) {
            err.println("ERROR: the trust store could not be set up: " + Causes.exact(e) + ".");
            return 2;
        }
        PAHO_LOGGER.setLevel(Level.OFF);

        Versions versions = Versions.load();
        Report report = new Report(out, new Redactor(settings.password()));
        report.print("Serverless connection doctor " + versions.doctor() + ": " + settings.host() + ", MQTT over TLS on "
                + settings.tlsPort() + (settings.checkWss() ? ", WebSocket on " + settings.wsPort() + settings.wsPath() : "")
                + ", " + settings.username().map(user -> "user " + user).orElse("no user")
                + settings.clientIds().fromUser().map(id -> ", client id " + ClientIds.shownWithLength(id)).orElse("")
                + ", trust: " + settings.trustDescription());
        report.print("");
        try (Findings findings = new Findings(settings, trust)) {
            Map<Step, Checkup.Check> checks = new EnumMap<>(Step.class);
            NetworkChecks network = new NetworkChecks(findings);
            TlsChecks tls = new TlsChecks(findings);
            MqttChecks mqtt = new MqttChecks(findings);
            checks.put(Step.ADDRESS, network::address);
            checks.put(Step.PORTS, network::ports);
            checks.put(Step.TLS, tls::tls);
            checks.put(Step.SNI, tls::sni);
            checks.put(Step.MQTT, mqtt::mqtt);
            checks.put(Step.ROUND_TRIP, mqtt::roundTrip);
            Checkup.run(checks, report, findings::takeRevisits);
        }
        report.print("");
        report.print(report.outcome());
        report.print("");
        SupportTicket.lines(settings, report, versions, System.getProperties(), Instant.now()).forEach(report::print);
        return report.exitCode();
    }

    /** The environment with the command-line options laid over it, keyed by variable name. */
    private Map<String, String> variables() {
        Map<String, String> variables = new HashMap<>(environment);
        overlay(variables, "MQTT_HOST", host);
        overlay(variables, "MQTT_PORT", port);
        overlay(variables, "MQTT_WS_PORT", wsPort);
        overlay(variables, "MQTT_WS_PATH", wsPath);
        overlay(variables, "MQTT_USERNAME", username);
        overlay(variables, "MQTT_CA_FILE", caFile);
        overlay(variables, "MQTT_TOPIC", topic);
        overlay(variables, "MQTT_CLIENT_ID", clientId);
        return variables;
    }

    private static void overlay(Map<String, String> variables, String name, String option) {
        if (option != null) {
            variables.put(name, option);
        }
    }

    /** --version: the doctor's and Paho's versions, from the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Versions versions = Versions.load();
            return new String[] {"serverless doctor " + versions.doctor() + " (Eclipse Paho MQTT v5 client "
                    + versions.paho() + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
