package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import serverless.harness.pki.TestPki;

/**
 * What the harness hands the EMQX container, checked without Docker: the listeners, TLS and
 * authentication settings, Serverless' quotas, and the files it mounts.
 */
@CompleteTier
class EmqxContainerBrokerTest {

    @TempDir
    static Path directory;
    private static TestPki pki;
    private static GenericContainer<?> container;

    @BeforeAll
    static void configureContainer() throws Exception {
        pki = TestPki.generate(directory.resolve("pki"), LocalDeployment.HOST);
        container = EmqxContainerBroker.container(pki, EmqxContainerBroker.usersFile(directory, "example-user", "0a1b2c"));
    }

    @Test
    void imageIsPinnedToTheLastOpenSourceRelease() {
        // The container's image is resolved only with Docker; the constant it is made from is checked here.
        assertEquals("emqx/emqx:5.8.9", EmqxContainerBroker.IMAGE.asCanonicalNameString());
    }

    @Test
    void onlyTheTlsListenersAreExposedAndPlaintextListenersAreOff() {
        Map<String, String> env = container.getEnvMap();
        assertEquals(List.of(8883, 8084), container.getExposedPorts());
        assertEquals("false", env.get("EMQX_LISTENERS__TCP__DEFAULT__ENABLE"));
        assertEquals("false", env.get("EMQX_LISTENERS__WS__DEFAULT__ENABLE"));
        assertEquals("true", env.get("EMQX_LISTENERS__SSL__DEFAULT__ENABLE"));
        assertEquals("true", env.get("EMQX_LISTENERS__WSS__DEFAULT__ENABLE"));
        // HOCON: an ip:port value needs quotes of its own.
        assertEquals("\"0.0.0.0:8883\"", env.get("EMQX_LISTENERS__SSL__DEFAULT__BIND"));
        assertEquals("\"0.0.0.0:8084\"", env.get("EMQX_LISTENERS__WSS__DEFAULT__BIND"));
        assertEquals("\"/mqtt\"", env.get("EMQX_LISTENERS__WSS__DEFAULT__WEBSOCKET__MQTT_PATH"));
    }

    @Test
    void bothTlsListenersUseTheMountedServerCertificateOneWay() {
        Map<String, String> env = container.getEnvMap();
        Map<String, String> mounted = mountedFiles();
        for (String listener : List.of("SSL", "WSS")) {
            String prefix = "EMQX_LISTENERS__" + listener + "__DEFAULT__SSL_OPTIONS__";
            assertEquals(pki.serverCertificateChain().toString(), mounted.get(env.get(prefix + "CERTFILE")), listener);
            assertEquals(pki.serverPrivateKey().toString(), mounted.get(env.get(prefix + "KEYFILE")), listener);
            assertEquals(pki.caCertificate().toString(), mounted.get(env.get(prefix + "CACERTFILE")), listener);
            assertEquals("verify_none", env.get(prefix + "VERIFY"), listener + ": one-way TLS");
        }
    }

    @Test
    void passwordAuthenticationAgainstTheBuiltInDatabaseWithTheMountedUsers() throws Exception {
        String authentication = container.getEnvMap().get("EMQX_AUTHENTICATION");
        assertTrue(authentication.contains("mechanism = password_based"), authentication);
        assertTrue(authentication.contains("backend = built_in_database"), authentication);
        assertTrue(authentication.contains("user_id_type = username"), authentication);
        assertTrue(authentication.contains("bootstrap_type = plain"), authentication);
        assertTrue(authentication.contains("bootstrap_file = \"" + EmqxContainerBroker.USERS_FILE + "\""), authentication);
        Path users = Path.of(mountedFiles().get(EmqxContainerBroker.USERS_FILE));
        assertEquals(List.of("user_id,password,is_superuser", "example-user,0a1b2c,false"), Files.readAllLines(users));
    }

    @Test
    void serverlessQuotasAreSetWhereEmqxHasASettingForThem() {
        Map<String, String> env = container.getEnvMap();
        assertEquals("10", env.get("EMQX_MQTT__MAX_SUBSCRIPTIONS"));
        assertEquals("10", env.get("EMQX_MQTT__MAX_TOPIC_LEVELS"));
        assertEquals("1024", env.get("EMQX_MQTT__MAX_CLIENTID_LEN"));
        assertEquals("1MB", env.get("EMQX_MQTT__MAX_PACKET_SIZE"));
        assertEquals("1000", env.get("EMQX_MQTT__MAX_MQUEUE_LEN"));
        for (String listener : List.of("SSL", "WSS")) {
            // HOCON: quoted, like the bind address. 5.8.9 slows a client over it down rather than refusing.
            assertEquals("\"10/s\"", env.get("EMQX_LISTENERS__" + listener + "__DEFAULT__MESSAGES_RATE"), listener);
        }
    }

    @Test
    void usersFileRefusesWhatItsCsvCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> EmqxContainerBroker.usersFile(directory, "user", "a,b"));
        assertThrows(IllegalArgumentException.class, () -> EmqxContainerBroker.usersFile(directory, "user", "a b"));
    }

    @Test
    void mountedFilesAreReadableByTheBrokersOwnUserAndInTheFormEmqxWants() throws Exception {
        container.getCopyToFileContainerPathMap().keySet().forEach(file ->
                assertEquals(0100644, file.getFileMode(), file.getResolvedPath() + " mode"));
        String chain = Files.readString(pki.serverCertificateChain());
        List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(chain.getBytes())).stream()
                .map(X509Certificate.class::cast).toList();
        assertEquals(2, certificates.size(), "leaf and CA");
        assertTrue(certificates.get(0).getSubjectAlternativeNames().stream()
                .anyMatch(name -> name.get(1).equals(LocalDeployment.HOST)), "the server certificate comes first");
        String key = Files.readString(pki.serverPrivateKey());
        assertEquals(1, key.split("-----BEGIN ", -1).length - 1, "exactly one PEM entry in the key file");
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
    }

    @Test
    void readinessWaitsForEmqxsOwnLogLine() {
        assertTrue("2026-11-25T10:00:00 [info] EMQX 5.8.9 is running now!\n".matches(EmqxContainerBroker.READY_LOG));
        assertFalse("2026-11-25T10:00:00 [info] Starting EMQX 5.8.9\n".matches(EmqxContainerBroker.READY_LOG));
    }

    /** Container path → host path of every file copied into the container. */
    private static Map<String, String> mountedFiles() {
        return container.getCopyToFileContainerPathMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, entry -> entry.getKey().getResolvedPath()));
    }
}
