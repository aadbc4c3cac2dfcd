package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a failed handshake is put into words, from what the JDK reported (no network). */
class TlsDiagnosisTest {

    private static TlsObservation refused(List<String> sni, Exception error) {
        return new TlsObservation(8883, sni, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(error));
    }

    private static Settings host(String host) {
        return Settings.from(Map.of("MQTT_HOST", host), true);
    }

    private static Exception closedByServer() {
        SSLHandshakeException closed = new SSLHandshakeException("Remote host terminated the handshake");
        closed.initCause(new EOFException("SSL peer shut down incorrectly"));
        return closed;
    }

    @Test
    void aClosedHandshakeWithSniPointsAtSniAndThePort() {
        StepResult result = TlsChecks.diagnose(host("my.cname.example"), refused(List.of("my.cname.example"), closedByServer()));

        assertEquals(Verdict.FAIL, result.verdict());
        assertTrue(result.summary().contains("with SNI my.cname.example: a refused SNI, or not a TLS port"), result.summary());
        assertTrue(result.whatToDo().orElseThrow().contains("not a CNAME"));
        assertEquals("javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake"
                + " <- caused by: java.io.EOFException: SSL peer shut down incorrectly", result.error().orElseThrow());
    }

    @Test
    void aClosedHandshakeFromAnIpAddressSaysSo() {
        StepResult result = TlsChecks.diagnose(host("203.0.113.7"), refused(List.of(), closedByServer()));

        assertTrue(result.summary().contains("without SNI: MQTT_HOST is an IP address"), result.summary());
    }

    @Test
    void plaintextAnswersAreNotATlsPort() {
        StepResult result = TlsChecks.diagnose(host("h.example"),
                refused(List.of("h.example"), new SSLException("Unsupported or unrecognized SSL message")));

        assertTrue(result.summary().contains("answered in plaintext, not TLS: it is not a TLS port"), result.summary());
    }

    @Test
    void silenceIsATimeout() {
        StepResult result = TlsChecks.diagnose(host("h.example"),
                refused(List.of("h.example"), new SocketTimeoutException("Read timed out")));

        assertTrue(result.summary().contains("timed out"), result.summary());
    }
}
