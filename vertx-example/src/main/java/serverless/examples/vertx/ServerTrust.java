package serverless.examples.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the client trusts to verify the server's certificate chain: the CA file the user gave
 * (MQTT_CA_FILE, e.g. the console's emqxsl-ca.crt), or, when it is not set, the JDK's default trust store.
 *
 * <p>Serverless certificates are issued by DigiCert, whose root is in every current JDK's trust store, so
 * the CA file is optional in Java. Nothing here turns verification off: there is no trust-all path (never
 * copy the trust-all option the Vert.x MQTT examples switch on). The host name check and SNI are set on the
 * client options and the connect call (see the example).
 */
final class ServerTrust {

    private ServerTrust() {
    }

    /**
     * The trust options for {@code MqttClientOptions.setTrustOptions}, or empty for the JDK's default trust.
     *
     * <p>Empty is safe: with no trust options and trustAll left false, Vert.x 5 builds its client SSL context
     * without a TrustManagerFactory (SslContextManager uses an empty config), and Netty's JdkSslClientContext
     * then calls {@code SSLContext.init(keyManagers, null, ...)}: a null TrustManager array makes the JDK
     * use its default trust managers, i.e. the JDK's cacerts (or {@code javax.net.ssl.trustStore} if set).
     */
    static Optional<TrustOptions> from(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        // [START trust]
        if (caFile.isEmpty()) {
            // No trust options (and trustAll left at its default, false): Vert.x verifies the server with the
            // JDK's default trust store (cacerts), which already trusts Serverless' DigiCert root.
            return Optional.empty();
        }
        byte[] pem = Files.readAllBytes(caFile.get());
        requireCertificates(caFile.get(), pem);
        // Every certificate in the PEM file becomes a trusted CA (emqxsl-ca.crt holds a chain), and the only
        // ones trusted. The bytes already read are handed over: Vert.x does not resolve the path again.
        return Optional.of(new PemTrustOptions().addCertValue(Buffer.buffer(pem)));
        // [END trust]
    }

    /** Parses the file with the JDK first, so a wrong file is a clear settings error rather than a TLS one. */
    private static void requireCertificates(Path pemFile, byte[] pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException notPem) {
            certificates = List.of(); // reported just below, with what to do
        }
        // The JDK also reads binary (DER) certificates; PemTrustOptions reads PEM blocks only.
        boolean isPem = new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----");
        if (certificates.isEmpty() || !isPem) {
            throw new SettingsException("MQTT_CA_FILE=" + pemFile + " holds no PEM certificate"
                    + ": download the deployment's CA file (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE");
        }
    }
}
