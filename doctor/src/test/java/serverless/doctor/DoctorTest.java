package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole doctor in this JVM, without a broker: configuration errors, options, and a run against closed ports. */
class DoctorTest {

    private static final String PASSWORD = "s3cret-Pa55-w0rd";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Doctor.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAHostItIsAConfigurationError() {
        int exit = run(Map.of("MQTT_PASSWORD", PASSWORD));

        assertEquals(2, exit);
        assertTrue(stderr().startsWith("ERROR: MQTT_HOST is not set"), stderr());
        assertEquals("", stdout());
    }

    @Test
    void aPastedUrlAsHostIsAConfigurationErrorBeforeAnyStep() {
        int exit = run(Map.of("MQTT_HOST", "mqtts://doctor-test:" + PASSWORD + "@xxx.emqxsl.com:8883",
                "MQTT_PASSWORD", PASSWORD));

        assertEquals(2, exit);
        assertEquals(1, stderr().lines().count(), stderr());
        assertTrue(stderr().startsWith("ERROR: MQTT_HOST holds "), stderr());
        assertTrue(stderr().contains("MQTT_HOST=xxx.emqxsl.com and MQTT_PORT=8883"), stderr());
        assertFalse(stderr().contains(PASSWORD), "the password appeared");
        assertEquals("", stdout());
    }

    @Test
    void anUnknownOptionIsAConfigurationError() {
        assertEquals(2, run(Map.of(), "--password=x"));
    }

    @Test
    void helpSaysWhereThePasswordComesFrom() {
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(stdout().contains("MQTT_PASSWORD only"), stdout());
    }

    @Test
    void closedPortsFailAtThePortsStepAndThePasswordNeverAppears() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MQTT_HOST", "unresolvable.invalid"); // overridden by --host below
        env.put("MQTT_USERNAME", "doctor-test");
        env.put("MQTT_PASSWORD", PASSWORD);

        int exit = run(env, "--host=localhost", "--port=" + closedPort(), "--ws-port=" + closedPort());

        List<String> lines = stdout().lines().toList();
        assertAll(stdout(),
                () -> assertEquals(1, exit),
                () -> assertEquals("", stderr()),
                () -> assertTrue(lines.stream().anyMatch(line -> line.startsWith("PASS  address     localhost resolves"))),
                () -> assertTrue(lines.stream().anyMatch(line -> line.startsWith("FAIL  ports ")
                        && line.contains("connection refused"))),
                () -> assertTrue(lines.contains("SKIP  round-trip  not run: ports failed")),
                () -> assertTrue(lines.stream().anyMatch(line -> line.startsWith("      What to do: "))),
                () -> assertTrue(lines.contains(SupportTicket.BEGIN) && lines.contains(SupportTicket.END)),
                () -> assertTrue(lines.contains("Password:           set (not shown)")),
                () -> assertTrue(lines.stream().anyMatch(line -> line.startsWith("Error:") && line.contains("ConnectException"))),
                () -> assertFalse(stdout().contains(PASSWORD) || stderr().contains(PASSWORD), "the password appeared"));
    }

    @Test
    void theClientIdOptionOverridesMqttClientIdAndIsShownWithTheSettings() throws IOException {
        Map<String, String> env = Map.of("MQTT_HOST", "localhost", "MQTT_CLIENT_ID", "from-the-variable");

        run(env, "--client-id=sensor-0042", "--port=" + closedPort(), "--no-wss");

        List<String> lines = stdout().lines().toList();
        assertAll(stdout(),
                () -> assertTrue(lines.get(0).contains(", client id sensor-0042 (MQTT_CLIENT_ID, 11 characters), trust: ")),
                () -> assertTrue(lines.contains("Client ids:         sensor-0042 (MQTT_CLIENT_ID, 11 characters) over TLS")),
                () -> assertFalse(stdout().contains("from-the-variable")));
    }

    /** A port that was free a moment ago: nothing listens on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
