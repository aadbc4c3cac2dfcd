package serverless.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the doctor trusts, exactly as the examples do: the CA file the user gave (MQTT_CA_FILE, e.g. the
 * console's emqxsl-ca.crt) or the JDK's default trust store. There is no trust-all path anywhere.
 */
final class Trust {

    private final X509ExtendedTrustManager manager;
    private final String description;

    private Trust(X509ExtendedTrustManager manager, String description) {
        this.manager = manager;
        this.description = description;
    }

    static Trust of(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        KeyStore anchors = null; // null: the JDK's default trust store (cacerts)
        if (caFile.isPresent()) {
            anchors = keyStoreOf(readCertificates(caFile.get()));
        }
        return new Trust(trustManager(anchors),
                caFile.map(file -> "MQTT_CA_FILE " + file).orElse("the JDK's default trust store"));
    }

    /** The JDK's own X.509 trust manager (PKIX path building, and host name checks when asked) over these anchors. */
    static X509ExtendedTrustManager trustManager(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager candidate : factory.getTrustManagers()) {
            if (candidate instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    static KeyStore keyStoreOf(List<X509Certificate> certificates) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        for (X509Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        return store;
    }

    /** Every certificate in the PEM file; none at all is a settings error. */
    static List<X509Certificate> readCertificates(Path pemFile) throws IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException notPem) {
            certificates = List.of(); // reported just below, with what to do
        }
        if (certificates.isEmpty()) {
            throw new SettingsException("MQTT_CA_FILE=" + pemFile + " holds no PEM certificate: download the"
                    + " deployment's CA file (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE");
        }
        return certificates.stream().map(X509Certificate.class::cast).toList();
    }

    X509ExtendedTrustManager manager() {
        return manager;
    }

    /** A socket factory that verifies the server with this trust, for the MQTT client. */
    SSLSocketFactory socketFactory() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {manager}, null);
        return context.getSocketFactory();
    }

    /** "MQTT_CA_FILE /path" or "the JDK's default trust store". */
    String description() {
        return description;
    }
}
