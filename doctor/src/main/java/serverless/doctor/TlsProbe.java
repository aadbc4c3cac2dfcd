package serverless.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One TLS handshake with the JDK's SSLSocket, bounded, that keeps what it saw. Host name verification is
 * on (HTTPS endpoint identification, as Paho does), so the handshake completes only if the chain is trusted
 * and the certificate names MQTT_HOST. The socket is closed right after: no data ever goes over it.
 */
final class TlsProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private TlsProbe() {
    }

    /**
     * @param sendSni whether the ClientHello carries {@code host} as SNI; without it, an explicitly empty
     *     list, so the JDK sends no SNI at all (what an old client or an IP address does)
     */
    static TlsObservation handshake(String host, int port, Trust trust, boolean sendSni) throws GeneralSecurityException {
        InspectingTrustManager inspector = new InspectingTrustManager(trust.manager());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {inspector}, null);
        List<String> sniRequested = sendSni ? List.of(host) : List.of();
        int timeout = (int) TIMEOUT.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeout);
            plain.setSoTimeout(timeout);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(sendSni ? List.of(new SNIHostName(host)) : List.of());
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                SSLSession session = tls.getSession();
                return new TlsObservation(port, sent(inspector, sniRequested), inspector.chain(),
                        Optional.of(session.getProtocol()), Optional.of(session.getCipherSuite()),
                        inspector.pathProblem(), inspector.nameProblem(), Optional.empty());
            }
        } catch (IOException e) {
            return new TlsObservation(port, sent(inspector, sniRequested), inspector.chain(), Optional.empty(),
                    Optional.empty(), inspector.pathProblem(), inspector.nameProblem(), Optional.of(e));
        }
    }

    /** The SNI as the JDK's handshake session reports it once the server answered; what was asked for until then. */
    private static List<String> sent(InspectingTrustManager inspector, List<String> requested) {
        return inspector.chain().isEmpty() ? requested : inspector.serverNamesSent();
    }
}
