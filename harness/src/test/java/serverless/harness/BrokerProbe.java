package serverless.harness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import serverless.harness.Broker.Refusal;
import serverless.harness.broker.TestTls;
import serverless.harness.broker.TlsClient;

/**
 * Finds out what a broker really refuses, before the suite expects it to: a TLS handshake without SNI,
 * one with another name as SNI, one to its IP address checked against its certificate, and a WebSocket
 * upgrade on a wrong path. Serverless refuses all four; a self-hosted broker may refuse none, and is not
 * broken for that. A fault case whose refusal the broker does not make is then skipped with the finding as
 * its reason, never failed and never passed.
 *
 * <p>Each probe is one connection with the broker's own trust (its CA file, or the JDK's trust store); no
 * credentials and no MQTT go over it. {@link QuotaProbe} finds which of Serverless' quotas it enforces.
 */
final class BrokerProbe {

    /** A wrong path to ask for: EMQX and Serverless answer it with HTTP 404. */
    static final String WRONG_WEBSOCKET_PATH = "/wrong";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** What one probe found: whether the broker refused, and what it did, in words for a skip reason. */
    record Finding(boolean refused, String observed) {
    }

    private BrokerProbe() {
    }

    /** Probes the four refusals of a handshake or an upgrade; the result has a finding for each. */
    static Map<Refusal, Finding> refusals(Broker broker) {
        SSLContext context = trusting(broker.caFile());
        String address = broker.ipAddress();
        Map<Refusal, Finding> found = new EnumMap<>(Refusal.class);
        found.put(Refusal.MISSING_SNI, handshake(context, address, broker.tlsPort(), Optional.empty(), null,
                "a TLS handshake without SNI"));
        found.put(Refusal.WRONG_SNI, handshake(context, address, broker.tlsPort(),
                Optional.of(HostsFile.OTHER_HOST), null, "a TLS handshake with SNI " + HostsFile.OTHER_HOST));
        found.put(Refusal.IP_ADDRESS, handshake(context, address, broker.tlsPort(), Optional.empty(), address,
                "a TLS connection to " + address + ", checked against the certificate"));
        found.put(Refusal.WRONG_WEBSOCKET_PATH, webSocketPath(context, broker));
        return found;
    }

    /** Probes Serverless' quotas as a client meets them ({@link QuotaProbe}), with the same trust. */
    static Map<Refusal, Finding> quotas(Broker broker) {
        return QuotaProbe.probe(broker, trusting(broker.caFile()));
    }

    /** One line per finding, for the run's output. */
    static String describe(Map<Refusal, Finding> findings) {
        StringBuilder text = new StringBuilder();
        findings.forEach((refusal, finding) -> text.append("\n[harness]   ")
                .append(finding.refused() ? "refuses " : "does not refuse ").append(finding.observed()));
        return text.toString();
    }

    /**
     * A handshake to {@code address}, sending {@code sni} (none when empty); with {@code verifiedName}, the
     * certificate must name it. Refused: the server closed or broke off the handshake, or (with a name to
     * verify) the certificate did not name it. Not refused: the handshake completed.
     */
    private static Finding handshake(SSLContext context, String address, int port, Optional<String> sni,
            String verifiedName, String what) {
        TlsClient client = TlsClient.to(address, port, context).named(sni.orElse(address)).sni(sni).within(TIMEOUT);
        if (verifiedName != null) {
            client.verifyingTheName();
        }
        try (SSLSocket tls = client.handshake()) {
            return new Finding(false, what + " (the handshake completed)");
        } catch (SSLHandshakeException e) {
            if (verifiedName == null && hasCause(e, CertificateException.class)) {
                // The server went on and presented a certificate; this client's trust refused it, not the server.
                return new Finding(false, what + " (the server answered with a certificate: " + e.getMessage() + ")");
            }
            return new Finding(true, what + " (" + e.getMessage() + ")");
        } catch (SocketTimeoutException e) {
            return new Finding(false, what + " (no answer within " + TIMEOUT.toSeconds() + " s, no refusal either)");
        } catch (IOException e) {
            return new Finding(true, what + " (the connection was closed: " + e + ")");
        }
    }

    /** Refused: the upgrade on a wrong path got HTTP 404, as EMQX answers it. Anything else is not that refusal. */
    private static Finding webSocketPath(SSLContext context, Broker broker) {
        String what = "a WebSocket upgrade on " + WRONG_WEBSOCKET_PATH + " with HTTP 404";
        try (SSLSocket tls = TlsClient.to(broker.ipAddress(), broker.wssPort(), context).named(broker.host())
                .sni(Optional.of(broker.host())).within(TIMEOUT).handshake()) {
            tls.getOutputStream().write(("GET " + WRONG_WEBSOCKET_PATH + " HTTP/1.1\r\n"
                    + "Host: " + broker.host() + ":" + broker.wssPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(ISO_8859_1));
            tls.getOutputStream().flush();
            String status = statusLine(tls.getInputStream());
            return new Finding(status.startsWith("HTTP/1.1 404"), what + " (it answered: "
                    + (status.isEmpty() ? "nothing, and closed" : status) + ")");
        } catch (SocketTimeoutException e) {
            return new Finding(false, what + " (no answer within " + TIMEOUT.toSeconds() + " s)");
        } catch (IOException e) {
            return new Finding(false, what + " (the connection failed: " + e + ")");
        }
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String statusLine(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, ISO_8859_1)).readLine();
        return line == null ? "" : line.trim();
    }

    /** Trusts what the examples trust: the broker's CA file, or the JDK's default trust store. */
    private static SSLContext trusting(Optional<Path> caFile) {
        try {
            return caFile.isPresent() ? TestTls.trusting(caFile.get()) : SSLContext.getDefault();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caFile.map(Path::toString).orElse("the JDK trust store")
                    + " for probing the broker: " + e.getMessage(), e);
        }
    }
}
