package serverless.doctor;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Wraps the real trust manager to see what the server presents, so the report can show the chain even
 * when it is not trusted. The decision is the real trust manager's alone: an untrusted chain or a wrong
 * host name still ends the handshake, and nothing is ever sent over such a connection.
 *
 * <p>To say <em>why</em> a chain is refused, it asks the JDK two more questions, answers that are only
 * printed: is the chain trusted without the host name check (the real manager, two-argument form), and
 * does the certificate match the host name (the JDK's own HTTPS endpoint identification, by a trust
 * manager whose only anchor is the server's certificate itself, so that trust and dates play no part).
 */
final class InspectingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager real;
    private volatile List<X509Certificate> chain = List.of();
    private volatile List<String> serverNamesSent = List.of();
    private volatile Optional<CertificateException> pathProblem = Optional.empty();
    private volatile Optional<CertificateException> nameProblem = Optional.empty();

    InspectingTrustManager(X509ExtendedTrustManager real) {
        this.real = real;
    }

    // [START inspect]
    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket)
            throws CertificateException {
        chain = List.of(presented);
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() instanceof ExtendedSSLSession session) {
            serverNamesSent = session.getRequestedServerNames().stream()
                    .filter(SNIHostName.class::isInstance).map(name -> ((SNIHostName) name).getAsciiName()).toList();
        }
        try {
            real.checkServerTrusted(presented, authType); // the chain alone, without the host name
            pathProblem = Optional.empty();
        } catch (CertificateException e) {
            pathProblem = Optional.of(e);
        }
        try {
            // The JDK's HTTPS host name check, with the server's own certificate as the only trust anchor:
            // trust and dates play no part, only the name can fail. For the report, never for the decision.
            Trust.trustManager(Trust.keyStoreOf(List.of(presented[0]))).checkServerTrusted(presented, authType, socket);
            nameProblem = Optional.empty();
        } catch (CertificateException e) {
            nameProblem = Optional.of(e);
        } catch (GeneralSecurityException | IOException e) {
            nameProblem = Optional.empty(); // could not ask; the real check below still decides
        }
        real.checkServerTrusted(presented, authType, socket); // the decision: chain and host name
    }
    // [END inspect]

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
            throws CertificateException {
        chain = List.of(presented);
        real.checkServerTrusted(presented, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType) throws CertificateException {
        chain = List.of(presented);
        real.checkServerTrusted(presented, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
            throws CertificateException {
        real.checkClientTrusted(presented, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
            throws CertificateException {
        real.checkClientTrusted(presented, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
        real.checkClientTrusted(presented, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return real.getAcceptedIssuers();
    }

    /** The chain the server presented; empty when the handshake ended before its certificate. */
    List<X509Certificate> chain() {
        return chain;
    }

    /** The SNI host names the handshake sent, as the JDK's handshake session reports them. */
    List<String> serverNamesSent() {
        return serverNamesSent;
    }

    /** Why the chain is not trusted (dates included), regardless of the host name. */
    Optional<CertificateException> pathProblem() {
        return pathProblem;
    }

    /** Why the certificate does not match the host name, regardless of trust. */
    Optional<CertificateException> nameProblem() {
        return nameProblem;
    }
}
