package serverless.examples.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the client trusts: it verifies the server's certificate chain, either against the CA file the user
 * gave (MQTT_CA_FILE, e.g. the console's emqxsl-ca.crt) or against the JDK's default trust store. Paho
 * takes it as an {@link SSLSocketFactory} ({@link #create}), the HiveMQ client as a
 * {@link TrustManagerFactory} ({@link #trustManagerFactory}).
 *
 * <p>Serverless certificates are issued by DigiCert, whose root is in every current JDK's trust store, so
 * the CA file is optional in Java. Nothing here turns verification off: there is no trust-all path.
 * The host name check and SNI are the client library's job (see each example's TLS options).
 */
final class TrustedSocketFactory {

    private TrustedSocketFactory() {
    }

    static SSLSocketFactory create(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        // Nagle's algorithm off: Paho leaves it on, which slows a window of QoS 1 messages (see the class). And a
        // completed handshake noted, which tells a CONNECT never answered from a TLS handshake that never completed.
        return new PahoSocketFactory(trusted(caFile));
    }

    private static SSLSocketFactory trusted(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        if (caFile.isEmpty()) {
            // The JDK's default trust store (cacerts) already trusts Serverless' DigiCert root.
            return SSLContext.getDefault().getSocketFactory();
        }
        // "TLS" lets client and server agree on TLS 1.3 or 1.2; no version is pinned.
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagerFactory(caFile).getTrustManagers(), null);
        return context.getSocketFactory();
    }

    static TrustManagerFactory trustManagerFactory(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        // [START trust]
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        // Only the certificates in MQTT_CA_FILE; without it (null), the JDK's default trust store (cacerts),
        // which already trusts Serverless' DigiCert root.
        trustManagers.init(caFile.isEmpty() ? null : trustStoreFrom(caFile.get()));
        return trustManagers;
        // [END trust]
    }

    /** Every certificate in the PEM file becomes a trusted entry (emqxsl-ca.crt holds a chain). */
    private static KeyStore trustStoreFrom(Path pemFile) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException notPem) {
            certificates = List.of(); // reported just below, with what to do
        }
        if (certificates.isEmpty()) {
            throw new SettingsException("MQTT_CA_FILE=" + pemFile + " holds no PEM certificate"
                    + ": download the deployment's CA file (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE");
        }
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates) {
            trustStore.setCertificateEntry("ca-" + index++, certificate);
        }
        return trustStore;
    }
}
