package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import serverless.harness.broker.FaultServer;
import serverless.harness.pki.TestPki;

/**
 * Servers that make an example's connection fail in one chosen way, each on its own port of this machine.
 * The examples reach them under the deployment's host name, so only the fault differs from a good run.
 */
public final class FaultFixtures implements AutoCloseable {

    private final FaultServer wrongHostCertificate;
    private final FaultServer expiredCertificate;
    private final FaultServer tls11Only;
    private final FaultServer plaintext;

    FaultFixtures(TestPki pki) {
        try {
            wrongHostCertificate = FaultServer.presenting(pki.wrongHostKeyStore(), pki.keyStorePassword());
            expiredCertificate = FaultServer.presenting(pki.expiredKeyStore(), pki.keyStorePassword());
            tls11Only = FaultServer.tls11Only();
            plaintext = FaultServer.plaintext();
        } catch (Exception e) {
            throw new IllegalStateException("fault servers could not start: " + e.getMessage(), e);
        }
    }

    /** Presents a certificate signed by the test CA, but for another host name. */
    public int wrongHostCertificatePort() {
        return wrongHostCertificate.port();
    }

    /** Presents the deployment's host name in a certificate that expired yesterday. */
    public int expiredCertificatePort() {
        return expiredCertificate.port();
    }

    /** Speaks only TLS 1.1, which the JDK (and Serverless) no longer accept. */
    public int tls11OnlyPort() {
        return tls11Only.port();
    }

    /** Speaks no TLS: reads the ClientHello and closes, as a plaintext MQTT port does. */
    public int plaintextPort() {
        return plaintext.port();
    }

    /** A port nothing listens on (free a moment ago), for "connection refused". */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        wrongHostCertificate.close();
        expiredCertificate.close();
        tls11Only.close();
        plaintext.close();
    }
}
