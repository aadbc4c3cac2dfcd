package serverless.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What every stack trusts: the CA file (MQTT_CA_FILE; the local broker's test CA), or the JDK's trust store.
 * The same code as the examples' (paho-example's TrustedSocketFactory, hivemq-example's CaTrust). There is no
 * trust-all path; host name verification is each stack's own setting, and on in every one.
 */
final class ServerTrust {

    private ServerTrust() {
    }

    /** The trust managers for the CA file; empty: the JDK's default trust store. */
    static Optional<TrustManagerFactory> trustManagers(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        if (caFile.isEmpty()) {
            return Optional.empty();
        }
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile.get())) {
            certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new SettingsException("MQTT_CA_FILE=" + caFile.get() + " holds no PEM certificate"
                    + ": give the deployment's CA file (emqxsl-ca.crt), or unset MQTT_CA_FILE");
        }
        int index = 0;
        for (Certificate certificate : certificates) {
            trustStore.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return Optional.of(factory);
    }

    /** A TLS context trusting the CA file, or the JDK's default one. "TLS": 1.3 or 1.2, as the server offers. */
    static SSLContext context(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        Optional<TrustManagerFactory> trustManagers = trustManagers(caFile);
        if (trustManagers.isEmpty()) {
            return SSLContext.getDefault();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.get().getTrustManagers(), null);
        return context;
    }
}
