package serverless.harness.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS for the tests: trust one CA file, as an example does with MQTT_CA_FILE. */
public final class TestTls {

    private TestTls() {
    }

    public static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        return trusting(caFile, "TLS");
    }

    /** Like {@link #trusting(Path)}; {@code TLSv1.2} makes a context whose clients offer TLS 1.2 only. */
    static SSLContext trusting(Path caFile, String protocol) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A TLS handshake with the JDK's client to {@code host:port}. The JDK sends {@code host} as SNI when it is
     * a dotted name (none for an IP address or localhost) unless {@code sni} overrides it; {@code verifyHostname}
     * checks the certificate against {@code host} as HTTPS does. Trusts only {@code caFile}. Returns the socket
     * after the handshake.
     */
    static SSLSocket handshake(Path caFile, String host, int port, String sni, boolean verifyHostname)
            throws IOException, GeneralSecurityException {
        return handshake(caFile, host, port, sni, verifyHostname, List.of());
    }

    /** Like {@link #handshake(Path, String, int, String, boolean)}, offering only {@code protocols} unless empty. */
    static SSLSocket handshake(Path caFile, String host, int port, String sni, boolean verifyHostname,
            List<String> protocols) throws IOException, GeneralSecurityException {
        // A new context each time: a resumed session would send the SNI of the session it resumes.
        TlsClient client = TlsClient.to(host, port, trusting(caFile)).offering(protocols);
        if (sni != null) {
            client.sni(Optional.of(sni));
        }
        if (verifyHostname) {
            client.verifyingTheName();
        }
        return client.handshake();
    }

    /** The first cause of {@code type} in the chain of {@code failure}. */
    static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        return Stream.iterate(failure, t -> t != null, Throwable::getCause)
                .filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Every message in the cause chain of {@code failure}, for assertion messages. */
    static String chain(Throwable failure) {
        return Stream.iterate(failure, t -> t != null, Throwable::getCause)
                .map(Throwable::toString).reduce((a, b) -> a + " <- " + b).orElse("");
    }
}
