package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import serverless.harness.broker.FaultServer;
import serverless.harness.broker.FrontTls;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.SniFront;
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
    private final SniFront unansweredTls;
    private final SniFront unansweredWss;

    FaultFixtures(TestPki pki) {
        try {
            wrongHostCertificate = FaultServer.presenting(pki.wrongHostKeyStore(), pki.keyStorePassword());
            expiredCertificate = FaultServer.presenting(pki.expiredKeyStore(), pki.keyStorePassword());
            tls11Only = FaultServer.tls11Only();
            plaintext = FaultServer.plaintext();
            // The deployment's own certificate and SNI check, as the local broker's fronts have them, but no broker.
            FrontTls deploymentTls = FrontTls.of(pki.serverKeyStore(), pki.keyStorePassword(), pki.caCertificate(),
                    List.of());
            unansweredTls = SniFront.unanswered(Transport.TLS, pki.deploymentHost(), null, deploymentTls, id -> { });
            unansweredWss = SniFront.unanswered(Transport.WSS, pki.deploymentHost(), LocalBroker.WS_PATH,
                    deploymentTls, id -> { });
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

    /**
     * Points {@code run} at servers that complete TLS as the deployment (over WebSocket, the upgrade on /mqtt too) and
     * never answer the CONNECT. Which port is which follows {@link Endpoint#variablesFor}: an example over WSS has
     * {@code MQTT_WS_PATH} and its port in {@code MQTT_PORT}; the doctor has {@code MQTT_WS_PORT} beside it.
     */
    public void leaveTheConnectUnanswered(ExampleRun run) {
        Map<String, String> variables = run.environment();
        boolean exampleOverWss = variables.containsKey("MQTT_WS_PATH") && !variables.containsKey("MQTT_WS_PORT");
        run.set("MQTT_PORT", String.valueOf((exampleOverWss ? unansweredWss : unansweredTls).port()));
        if (variables.containsKey("MQTT_WS_PORT")) {
            run.set("MQTT_WS_PORT", String.valueOf(unansweredWss.port()));
        }
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
        unansweredTls.close();
        unansweredWss.close();
    }
}
