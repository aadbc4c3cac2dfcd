package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The EMQX container itself is set up like Serverless: no plaintext listener, anonymous clients refused,
 * and an example's round trip works over TLS. Runs wherever Docker works; elsewhere it is skipped with the
 * reason. It uses the run's broker when that is EMQX, else a container of its own.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@Timeout(180)
class EmqxContainerIT {

    private static EmqxContainerBroker ownContainer;

    @BeforeAll
    static void needsDocker() {
        assumeTrue(Docker.available(), () -> "EMQX container tests skipped, not passed: "
                + Docker.unavailableReason().orElse("") + ". They run wherever Docker works (see .github/workflows)");
    }

    @AfterAll
    static void stopOwnContainer() {
        if (ownContainer != null) {
            ownContainer.close();
        }
    }

    @Test
    void plaintextListenersAreOffAndTlsListenersOn(TestBed bed) throws Exception {
        EmqxContainerBroker emqx = emqx(bed);
        assertAll(
                () -> assertNotEquals(0, tcpConnectInside(emqx, 1883), "MQTT over TCP (1883) must be off"),
                () -> assertNotEquals(0, tcpConnectInside(emqx, 8083), "MQTT over WebSocket (8083) must be off"),
                () -> assertEquals(0, tcpConnectInside(emqx, EmqxContainerBroker.TLS_PORT), "MQTT over TLS (8883) is on"),
                () -> assertEquals(0, tcpConnectInside(emqx, EmqxContainerBroker.WSS_PORT), "MQTT over WSS (8084) is on"));
    }

    @Test
    void anonymousConnectIsRefused(TestBed bed) {
        // The doctor sends an anonymous CONNECT when it has no credentials, and reports the CONNACK.
        RunResult result = ExampleRun.ofDoctor(emqx(bed), "emqx-anonymous")
                .unset("MQTT_USERNAME").unset("MQTT_PASSWORD").execute();

        assertEquals(1, result.exitCode(), result::transcript);
        assertTrue(result.stdoutLines().stream().anyMatch(line -> line.startsWith("FAIL  mqtt ")
                && line.contains("anonymous CONNECT")), result::transcript);
    }

    @Test
    void exampleRoundTripOverTls(TestBed bed) {
        EmqxContainerBroker emqx = emqx(bed);
        ExampleRun run = ExampleRun.of(Example.PAHO, emqx, "emqx-roundtrip");

        RoundTripAssertions.assertCompleteRoundTrip(run.execute(), run, emqx, 1);
    }

    /** Exit code of a TCP connect from inside the container to one of its own ports (0: something listens). */
    private static int tcpConnectInside(EmqxContainerBroker emqx, int port) throws Exception {
        ExecResult result = emqx.container().execInContainer(List.of("bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + port).toArray(String[]::new));
        return result.getExitCode();
    }

    private static synchronized EmqxContainerBroker emqx(TestBed bed) {
        if (bed.broker() instanceof EmqxContainerBroker runBroker) {
            return runBroker;
        }
        if (ownContainer == null) {
            try {
                ownContainer = EmqxContainerBroker.start(bed.files());
            } catch (Exception e) {
                throw new IllegalStateException("EMQX did not start: " + e.getMessage(), e);
            }
        }
        return ownContainer;
    }
}
