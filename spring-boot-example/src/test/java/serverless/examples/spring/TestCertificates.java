package serverless.examples.spring;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Base64;

/** A real CA certificate in PEM, taken from the JDK's own trust store, for the CA-file tests. */
final class TestCertificates {

    static final String PEM = firstTrustedCertificate();

    private TestCertificates() {
    }

    private static String firstTrustedCertificate() {
        try {
            KeyStore cacerts = KeyStore.getInstance(new File(System.getProperty("java.home"), "lib/security/cacerts"),
                    (char[]) null);
            byte[] der = cacerts.getCertificate(cacerts.aliases().nextElement()).getEncoded();
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the JDK's trust store", e);
        }
    }
}
