package serverless.harness.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for one test run, made at run time so that nothing committed can expire or leak: a test
 * root CA, the deployment's server certificate, and the certificates the TLS fault cases need.
 *
 * <p>RSA 2048 and SHA-256 everywhere (every client stack accepts them). The CA is valid from 10 days ago
 * to 30 days ahead, the server certificate for 7 days from an hour ago. Keys are generated with the JDK,
 * certificates built with BouncyCastle; BouncyCastle is not registered as a security provider.
 *
 * <p>Regenerate a copy by hand with {@code java -cp <harness classpath> serverless.harness.pki.TestPki [dir]}.
 */
public final class TestPki {

    /** The name in the wrong-host certificate: reserved (RFC 2606), so it can never be a real host. */
    private static final String WRONG_HOST_NAME = "wrong-host.invalid";
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final String KEY_ALIAS = "server";

    private final Path directory;
    private final String deploymentHost;
    private final char[] keyStorePassword;

    private TestPki(Path directory, String deploymentHost, char[] keyStorePassword) {
        this.directory = directory;
        this.deploymentHost = deploymentHost;
        this.keyStorePassword = keyStorePassword;
    }

    /**
     * Generates the whole PKI into {@code dir} (created if missing; files of an earlier run are replaced).
     * Takes a few hundred milliseconds, most of it for the three RSA key pairs.
     */
    public static TestPki generate(Path dir, String deploymentHost) throws IOException {
        if (deploymentHost == null || deploymentHost.isBlank()) {
            throw new IllegalArgumentException("deploymentHost must be a host name");
        }
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir, deploymentHost, randomPassword());
        try {
            pki.write();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the test PKI could not be generated: " + e.getMessage(), e);
        }
        return pki;
    }

    private void write() throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        SecureRandom random = new SecureRandom();
        // The three RSA key pairs are most of the time this takes: made side by side, one per core.
        List<CompletableFuture<KeyPair>> keyPairs = Stream.generate(() -> CompletableFuture.supplyAsync(() -> rsaKeyPair(random)))
                .limit(3).toList();
        KeyPair caKeys = keyPairs.get(0).join();
        KeyPair untrustedCaKeys = keyPairs.get(1).join();
        // One key pair for every leaf: they differ in name and dates, which is all the fault cases need.
        KeyPair leafKeys = keyPairs.get(2).join();

        X509Certificate ca = caCertificate("CN=Serverless Examples Test Root CA,O=serverless-examples harness",
                caKeys, now, random);
        X509Certificate untrustedCa = caCertificate("CN=Untrusted Test CA,O=serverless-examples harness",
                untrustedCaKeys, now, random);
        X509Certificate server = leafCertificate(deploymentHost, leafKeys, ca, caKeys.getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), random);
        X509Certificate wrongHost = leafCertificate(WRONG_HOST_NAME, leafKeys, ca, caKeys.getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), random);
        X509Certificate expired = leafCertificate(deploymentHost, leafKeys, ca, caKeys.getPrivate(),
                now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)), random);

        writePem(caCertificate(), ca);
        writePem(untrustedCaCertificate(), untrustedCa);
        writePem(serverCertificateChain(), server, ca);
        writeText(serverPrivateKey(), pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded()));
        writeKeyStore(serverKeyStore(), leafKeys.getPrivate(), server, ca);
        writeKeyStore(wrongHostKeyStore(), leafKeys.getPrivate(), wrongHost, ca);
        writeKeyStore(expiredKeyStore(), leafKeys.getPrivate(), expired, ca);
    }

    private static KeyPair rsaKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, random);
            return rsa.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no RSA key pair generator", e);
        }
    }

    /** The PEM file of the test root CA: what the examples get as MQTT_CA_FILE. */
    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    /** PKCS12: the server's key and its chain (server certificate, CA), for {@link #deploymentHost()} only. */
    public Path serverKeyStore() {
        return directory.resolve("server.p12");
    }

    /** The password of every PKCS12 file here (store and key), random for each run. A copy. */
    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    /** PEM: the server certificate, then the CA (for a broker that reads PEM files, like EMQX). */
    public Path serverCertificateChain() {
        return directory.resolve("server-chain.pem");
    }

    /** PEM: the server's private key, one PKCS#8 {@code PRIVATE KEY} entry, unencrypted. */
    public Path serverPrivateKey() {
        return directory.resolve("server-key.pem");
    }

    /** PEM of a second CA that signed nothing the broker uses: trusting only it must fail. */
    public Path untrustedCaCertificate() {
        return directory.resolve("untrusted-ca.pem");
    }

    /** PKCS12: a certificate signed by the test CA, but for {@link #wrongHostName()}. */
    public Path wrongHostKeyStore() {
        return directory.resolve("wrong-host.p12");
    }

    /** The only name in the {@link #wrongHostKeyStore()} certificate. */
    public String wrongHostName() {
        return WRONG_HOST_NAME;
    }

    /** PKCS12: a certificate for {@link #deploymentHost()}, signed by the test CA, that expired yesterday. */
    public Path expiredKeyStore() {
        return directory.resolve("expired.p12");
    }

    /** The only name (DNS SAN and CN) in the server certificate. */
    public String deploymentHost() {
        return deploymentHost;
    }

    /** The folder all the files are in. */
    public Path directory() {
        return directory;
    }

    /**
     * Regenerates the local test PKI by hand: {@code TestPki [dir] [host]}, by default into
     * {@code certs/local} for {@code deployment.emqxsl.test}, and lists what it wrote.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "certs/local");
        String host = args.length > 1 ? args[1] : "deployment.emqxsl.test";
        TestPki pki = generate(dir, host);
        System.out.println("Test PKI for " + host + " written to " + dir.toAbsolutePath() + ":");
        System.out.println("  " + pki.caCertificate().getFileName() + "          test root CA (MQTT_CA_FILE)");
        System.out.println("  " + pki.serverCertificateChain().getFileName() + "  server certificate + CA, PEM");
        System.out.println("  " + pki.serverPrivateKey().getFileName() + "    server key, PKCS#8 PEM");
        System.out.println("  " + pki.serverKeyStore().getFileName() + "      server key + chain, PKCS12");
        System.out.println("  " + pki.untrustedCaCertificate().getFileName() + "  a CA that signed nothing");
        System.out.println("  " + pki.wrongHostKeyStore().getFileName() + "  certificate for "
                + pki.wrongHostName() + ", PKCS12");
        System.out.println("  " + pki.expiredKeyStore().getFileName() + "     certificate expired yesterday, PKCS12");
        // A throwaway password for throwaway keys; printing it is the only way to use the PKCS12 files.
        System.out.println("PKCS12 password (store and key): " + new String(pki.keyStorePassword));
    }

    private static X509Certificate caCertificate(String subject, KeyPair keys, Instant now, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name name = new X500Name(subject);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random),
                Date.from(now.minus(Duration.ofDays(10))), Date.from(now.plus(Duration.ofDays(30))), name,
                keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate leafCertificate(String host, KeyPair keys, X509Certificate ca, PrivateKey caKey,
            Instant notBefore, Instant notAfter, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(random),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + host), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                // The DNS name only: no IP address and no localhost, so connecting by any other name fails.
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, host)))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private void writeKeyStore(Path file, PrivateKey key, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(KEY_ALIAS, key, keyStorePassword, chain);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, keyStorePassword);
        }
        makeReadableByOthers(file);
    }

    private static void writePem(Path file, Certificate... certificates) throws IOException, GeneralSecurityException {
        StringBuilder text = new StringBuilder();
        for (Certificate certificate : certificates) {
            text.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        writeText(file, text.toString());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        makeReadableByOthers(file);
    }

    /** 0644: a broker in a container (EMQX runs as uid 1000) must be able to read the files. */
    private static void makeReadableByOthers(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
