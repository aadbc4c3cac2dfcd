package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SupportTicketTest {

    private static final String PASSWORD = "s3cret-Pa55-w0rd";

    private Settings settings = Settings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com",
            "MQTT_USERNAME", "device-1", "MQTT_PASSWORD", PASSWORD), true);
    private final Report report = new Report(new PrintStream(OutputStream.nullOutputStream()),
            new Redactor(Optional.of(PASSWORD)));
    private final Properties system = new Properties();

    SupportTicketTest() {
        system.setProperty("java.runtime.version", "17.0.15+6");
        system.setProperty("java.vendor", "Eclipse Adoptium");
        system.setProperty("java.vm.name", "OpenJDK 64-Bit Server VM");
        system.setProperty("os.name", "Linux");
        system.setProperty("os.version", "6.1");
        system.setProperty("os.arch", "amd64");
    }

    private List<String> ticket() {
        return SupportTicket.lines(settings, report, new Versions("1.0.0", "1.2.5"), system,
                Instant.parse("2025-01-02T03:04:05.678Z"));
    }

    @Test
    void theTicketHoldsWhatSupportAsksFor() {
        report.add(StepResult.pass(Step.ADDRESS, "resolves"));
        report.add(StepResult.fail(Step.PORTS, "refused", "open it", "java.net.ConnectException: Connection refused"));
        report.add(StepResult.skip(Step.TLS, "not run: ports failed"));

        assertEquals(List.of(
                SupportTicket.BEGIN,
                "Deployment address: abc.ala.us-east-1.emqxsl.com",
                "Ports:              8883 (MQTT over TLS), 8084 (MQTT over WebSocket with TLS, path /mqtt)",
                "Username:           device-1",
                "Password:           set (not shown)",
                "CA file:            not set (JDK default trust store)",
                "Client:             Eclipse Paho Java MQTT v5 client 1.2.5, in serverless doctor 1.0.0",
                "Client ids:         " + settings.clientIds().doctorsPrefix() + "-ssl over TLS, "
                        + settings.clientIds().doctorsPrefix() + "-wss over WebSocket (the doctor's own: MQTT_CLIENT_ID"
                        + " not set)",
                "Java:               17.0.15+6, Eclipse Adoptium (OpenJDK 64-Bit Server VM)",
                "OS:                 Linux 6.1 (amd64)",
                "Time (UTC):         2025-01-02T03:04:05Z",
                "Result:             FAIL at step ports: refused",
                "Error:              java.net.ConnectException: Connection refused",
                "Steps:              address PASS, ports FAIL, tls SKIP",
                SupportTicket.END), ticket());
    }

    @Test
    void theTicketShowsMqttClientIdAsTheIdOfTheConnectionOverTls() {
        settings = Settings.from(Map.of("MQTT_HOST", "abc.ala.us-east-1.emqxsl.com", "MQTT_USERNAME", "device-1",
                "MQTT_PASSWORD", PASSWORD, "MQTT_CLIENT_ID", "sensor-0042"), true);

        assertTrue(ticket().contains("Client ids:         sensor-0042 (MQTT_CLIENT_ID, 11 characters) over TLS, "
                + settings.clientIds().doctorsPrefix() + "-wss over WebSocket"), String.join("\n", ticket()));
    }

    @Test
    void thePasswordNeverAppearsEvenWhenAnErrorQuotedIt() {
        report.add(StepResult.fail(Step.MQTT, "refused", "check", "server said: bad password " + PASSWORD));

        List<String> printed = ticket().stream().map(new Redactor(settings.password())::redact).toList();

        assertTrue(ticket().stream().anyMatch(line -> line.contains(PASSWORD)), "the raw error quoted it");
        assertFalse(printed.stream().anyMatch(line -> line.contains(PASSWORD)), String.join("\n", printed));
        assertTrue(printed.contains("Error:              server said: bad password " + Redactor.MASK));
    }

    @Test
    void aShortPasswordIsNotMaskedInsideOtherWords() {
        Redactor redactor = new Redactor(Optional.of("p"));

        assertEquals("ports", redactor.redact("ports"));
    }
}
