package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import serverless.harness.CompleteTier;
import serverless.harness.pki.TestPki;

/** Each fault server fails a JDK client's handshake the way it promises, with the JDK's own exceptions. */
@CompleteTier
@Timeout(10)
class FaultServersTest {

    private static final String HOST = "deployment.emqxsl.test";

    @TempDir
    static Path dir;
    static TestPki pki;
    static Path ca;

    @BeforeAll
    static void generate() throws Exception {
        pki = TestPki.generate(dir, HOST);
        ca = pki.caCertificate();
    }

    @Test
    void theServerKeyStoreCompletesAHandshake() throws Exception { // the control case
        try (FaultServer server = FaultServer.presenting(pki.serverKeyStore(), pki.keyStorePassword());
                SSLSocket socket = TestTls.handshake(ca, HOST, server.port(), null, true)) {
            assertEquals(-1, socket.getInputStream().read(), "closed after the handshake, no MQTT");
        }
    }

    @Test
    void aCertificateForAnotherHostDoesNotMatch() throws Exception {
        try (FaultServer server = FaultServer.presenting(pki.wrongHostKeyStore(), pki.keyStorePassword())) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> TestTls.handshake(ca, HOST, server.port(), null, true).close());
            CertificateException cause = TestTls.cause(failure, CertificateException.class).orElseThrow();
            assertTrue(cause.getMessage().contains("No subject alternative DNS name matching " + HOST),
                    TestTls.chain(failure));
        }
    }

    @Test
    void anExpiredCertificateIsExpired() throws Exception {
        try (FaultServer server = FaultServer.presenting(pki.expiredKeyStore(), pki.keyStorePassword())) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> TestTls.handshake(ca, HOST, server.port(), null, true).close());
            assertTrue(TestTls.cause(failure, CertificateExpiredException.class).isPresent(), TestTls.chain(failure));
        }
    }

    @Test
    void aTls11OnlyServerIsRefusedByTheClientForItsVersion() throws Exception {
        try (FaultServer server = FaultServer.tls11Only()) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> TestTls.handshake(ca, HOST, server.port(), null, true).close());
            assertTrue(failure.getMessage().contains("TLS11"), TestTls.chain(failure));
        }
    }

    @Test
    void aProtocolVersionAlertEndsTheHandshake() throws Exception {
        try (FaultServer server = FaultServer.refusingProtocolVersion()) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> TestTls.handshake(ca, HOST, server.port(), null, true).close());
            assertTrue(failure.getMessage().contains("protocol_version"), TestTls.chain(failure));
        }
    }

    @Test
    void aPlaintextServerEndsTheHandshakeWithoutAnswer() throws Exception {
        try (FaultServer server = FaultServer.plaintext()) {
            IOException failure = assertThrows(IOException.class,
                    () -> TestTls.handshake(ca, HOST, server.port(), null, true).close());
            assertTrue(TestTls.cause(failure, SSLException.class).isPresent()
                    || failure.getMessage().contains("reset"), TestTls.chain(failure));
            assertEquals(1, server.connections());
        }
    }
}
