package serverless.harness.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class TestPkiTest {

    private static final String HOST = "deployment.emqxsl.test";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    static Path dir;
    static TestPki pki;
    static Duration generation;
    static Instant generatedAt;

    @BeforeAll
    static void generate() throws Exception {
        generatedAt = Instant.now();
        long start = System.nanoTime();
        pki = TestPki.generate(dir.resolve("pki"), HOST);
        generation = Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * About half a second here, but RSA key generation varies from run to run and with the machine's load
     * (2.3 s was seen with two builds at once on two cores); the bound catches a real regression, such as
     * larger keys or a blocking entropy source, not a busy machine.
     */
    @Test
    void generatesInAFewSeconds() {
        assertTrue(generation.compareTo(Duration.ofSeconds(10)) < 0, "took " + generation);
    }

    @Test
    void serverCertificateNamesTheDeploymentHostOnly() throws Exception {
        X509Certificate server = chain(pki.serverKeyStore()).get(0);
        assertEquals(List.of(List.of(2, HOST)), subjectAltNames(server), "one DNS name, no IP, no localhost");
        assertEquals("CN=" + HOST, server.getSubjectX500Principal().getName());
    }

    @Test
    void serverCertificateIsForTlsServers() throws Exception {
        X509Certificate server = chain(pki.serverKeyStore()).get(0);
        assertEquals(-1, server.getBasicConstraints(), "not a CA");
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        boolean[] usage = server.getKeyUsage();
        assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment");
        assertFalse(usage[5], "no keyCertSign");
        assertEquals("SHA256withRSA", server.getSigAlgName());
        assertEquals(2048, ((RSAPublicKey) server.getPublicKey()).getModulus().bitLength());
    }

    @Test
    void caCertificateIsARootCa() throws Exception {
        X509Certificate ca = pem(pki.caCertificate()).get(0);
        assertTrue(ca.getBasicConstraints() >= 0, "basicConstraints CA=true");
        assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints is critical");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal(), "self-signed");
        ca.verify(ca.getPublicKey());
    }

    @Test
    void serverCertificateIsValidForSevenDaysFromAnHourAgo() throws Exception {
        X509Certificate server = chain(pki.serverKeyStore()).get(0);
        server.checkValidity();
        assertAbout(generatedAt.minus(Duration.ofHours(1)), server.getNotBefore().toInstant());
        assertAbout(generatedAt.plus(Duration.ofDays(7)), server.getNotAfter().toInstant());
    }

    @Test
    void serverChainVerifiesAgainstTheTestCa() throws Exception {
        List<X509Certificate> chain = chain(pki.serverKeyStore());
        assertEquals(2, chain.size(), "server certificate, then the CA");
        assertEquals(pem(pki.caCertificate()).get(0), chain.get(1));
        validate(chain.get(0), pki.caCertificate()); // throws if the path does not verify
    }

    @Test
    void pemChainIsTheKeyStoreChainServerFirst() throws Exception {
        assertEquals(chain(pki.serverKeyStore()), pem(pki.serverCertificateChain()));
    }

    @Test
    void pemPrivateKeyIsOnePkcs8EntryMatchingTheCertificate() throws Exception {
        String text = Files.readString(pki.serverPrivateKey(), StandardCharsets.US_ASCII);
        Matcher entries = Pattern.compile("-----BEGIN ([A-Z ]+)-----").matcher(text);
        assertTrue(entries.find());
        assertEquals("PRIVATE KEY", entries.group(1));
        assertFalse(entries.find(), "exactly one PEM entry");
        byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));

        byte[] data = "proof of possession".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(chain(pki.serverKeyStore()).get(0));
        verifier.update(data);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void untrustedCaDidNotSignTheServerCertificate() throws Exception {
        X509Certificate untrusted = pem(pki.untrustedCaCertificate()).get(0);
        assertNotEquals(pem(pki.caCertificate()).get(0).getSubjectX500Principal(), untrusted.getSubjectX500Principal());
        assertThrows(CertPathValidatorException.class,
                () -> validate(chain(pki.serverKeyStore()).get(0), pki.untrustedCaCertificate()));
    }

    @Test
    void wrongHostCertificateIsSignedByTheTestCaForAnotherName() throws Exception {
        X509Certificate wrongHost = chain(pki.wrongHostKeyStore()).get(0);
        assertNotEquals(HOST, pki.wrongHostName());
        assertEquals(List.of(List.of(2, pki.wrongHostName())), subjectAltNames(wrongHost));
        validate(wrongHost, pki.caCertificate());
    }

    @Test
    void expiredCertificateIsForTheDeploymentHostAndEndedYesterday() throws Exception {
        X509Certificate expired = chain(pki.expiredKeyStore()).get(0);
        assertEquals(List.of(List.of(2, HOST)), subjectAltNames(expired));
        assertAbout(generatedAt.minus(Duration.ofDays(1)), expired.getNotAfter().toInstant());
        assertThrows(CertificateExpiredException.class, expired::checkValidity);
        CertPathValidatorException failure = assertThrows(CertPathValidatorException.class,
                () -> validate(expired, pki.caCertificate()));
        assertEquals(CertPathValidatorException.BasicReason.EXPIRED, failure.getReason());
    }

    @Test
    void filesAreReadableByOthers() throws Exception {
        for (Path file : List.of(pki.caCertificate(), pki.serverCertificateChain(), pki.serverPrivateKey(),
                pki.serverKeyStore(), pki.untrustedCaCertificate(), pki.wrongHostKeyStore(), pki.expiredKeyStore())) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
    }

    @Test
    void keyStorePasswordIsRandomForEachRunAndACopy() throws Exception {
        TestPki other = TestPki.generate(dir.resolve("other"), HOST);
        assertFalse(Arrays.equals(pki.keyStorePassword(), other.keyStorePassword()));
        char[] password = pki.keyStorePassword();
        Arrays.fill(password, 'x');
        assertFalse(Arrays.equals(password, pki.keyStorePassword()), "callers cannot change it");
        assertTrue(pki.keyStorePassword().length >= 20);
    }

    @Test
    void mainWritesThePkiWhereItIsTold() throws Exception {
        Path target = dir.resolve("by-hand");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            TestPki.main(new String[] {target.toString()});
        } finally {
            System.setOut(out);
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(target.toAbsolutePath().toString()));
        assertArrayEquals(new String[] {"ca.pem", "expired.p12", "server-chain.pem", "server-key.pem", "server.p12",
                "untrusted-ca.pem", "wrong-host.p12"}, Files.list(target).map(p -> p.getFileName().toString())
                .sorted().toArray(String[]::new));
    }

    private static void assertAbout(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "expected about " + expected + " but was " + actual);
    }

    private static void validate(X509Certificate leaf, Path caFile) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pem(caFile).get(0), null)));
        parameters.setRevocationEnabled(false);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), parameters);
    }

    private static List<X509Certificate> chain(Path pkcs12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, pki.keyStorePassword());
        }
        assertEquals(List.of("server"), java.util.Collections.list(store.aliases()));
        assertTrue(store.getKey("server", pki.keyStorePassword()) instanceof PrivateKey);
        return Arrays.stream(store.getCertificateChain("server")).map(X509Certificate.class::cast).toList();
    }

    private static List<X509Certificate> pem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    private static List<List<?>> subjectAltNames(X509Certificate certificate) throws Exception {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names == null ? List.of() : List.copyOf(names);
    }
}
