package serverless.examples.hivemq;

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
import javax.net.ssl.TrustManagerFactory;

/**
 * What the client trusts: the CA file the user gave (MQTT_CA_FILE, e.g. the console's emqxsl-ca.crt) turned
 * into a {@link TrustManagerFactory}, or nothing, which leaves the JDK's default trust store in charge.
 *
 * <p>Serverless certificates are issued by DigiCert, whose root is in every current JDK's trust store, so
 * the CA file is optional in Java. Nothing here turns verification off: there is no trust-all path.
 * The host name check and SNI are the client library's job (see the example's TLS settings).
 */
final class CaTrust {

    private CaTrust() {
    }

    /**
     * The trust manager factory for MQTT_CA_FILE, or empty when it is not set. The HiveMQ client treats "no
     * trust manager factory" as "the JDK default": it hands null to Netty's SslContextBuilder, whose JDK
     * SSLContext is then initialised with the JVM's default trust managers (cacerts, or javax.net.ssl.trustStore).
     */
    static Optional<TrustManagerFactory> fromCaFile(Optional<Path> caFile)
            throws GeneralSecurityException, IOException {
        // [START trust]
        if (caFile.isEmpty()) {
            // No factory: the client then uses the JDK's default trust store (cacerts), which already
            // trusts Serverless' DigiCert root.
            return Optional.empty();
        }
        // Only the certificates in MQTT_CA_FILE are trusted; the chain is still fully verified.
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStoreFrom(caFile.get()));
        return Optional.of(trustManagers);
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
