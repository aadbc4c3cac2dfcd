package serverless.doctor;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What one TLS handshake showed: the SNI sent, the chain the server presented (empty if it closed the
 * handshake before), the negotiated version and cipher suite, and what, if anything, went wrong.
 *
 * @param port the port the handshake went to
 * @param serverNamesSent the SNI host names in the ClientHello (empty: no SNI)
 * @param chain the server's certificate chain, leaf first
 * @param protocol the negotiated TLS version, e.g. TLSv1.3; empty if the handshake failed
 * @param cipherSuite the negotiated cipher suite; empty if the handshake failed
 * @param pathProblem why the chain is not trusted (by the trust in use), host name aside
 * @param nameProblem why the certificate does not match the host name, trust aside
 * @param failure why the handshake failed; empty if it completed
 */
record TlsObservation(
        int port,
        List<String> serverNamesSent,
        List<X509Certificate> chain,
        Optional<String> protocol,
        Optional<String> cipherSuite,
        Optional<CertificateException> pathProblem,
        Optional<CertificateException> nameProblem,
        Optional<Exception> failure) {

    boolean completed() {
        return failure.isEmpty();
    }

    /** The server answered the ClientHello with its certificate (whether or not it was then accepted). */
    boolean serverPresentedCertificate() {
        return !chain.isEmpty();
    }
}
