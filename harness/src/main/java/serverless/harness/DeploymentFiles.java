package serverless.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import serverless.harness.broker.Folders;
import serverless.harness.pki.TestPki;

/**
 * What a deployment made on this machine consists of besides its broker, in a temporary folder of its own: a test
 * PKI for its name (generated now: nothing committed can expire), a hosts file that resolves the name to this
 * machine ({@link HostsFile}), and one user with a random password. The local broker is started with them
 * ({@link LocalDeployment}); so is EMQX in its container, and the suite's fault servers use the same CA.
 * {@link #close()} deletes the folder.
 */
public final class DeploymentFiles implements AutoCloseable {

    /** The one user of a deployment made here: a throwaway credential, like the rest of the folder. */
    public static final String USERNAME = "example-user";

    private final Path folder;
    private final TestPki pki;
    private final Path hostsFile;
    private final String password = randomSecret();

    private DeploymentFiles(Path folder, TestPki pki, Path hostsFile) {
        this.folder = folder;
        this.pki = pki;
        this.hostsFile = hostsFile;
    }

    /** Makes the folder, the PKI and the hosts file for {@code host} (RSA key generation: about a second). */
    public static DeploymentFiles create(String host) throws IOException {
        Path folder = Files.createTempDirectory("serverless-deployment-");
        try {
            TestPki pki = TestPki.generate(folder.resolve("pki"), host);
            Path hostsFile = HostsFile.write(folder.resolve("hosts"), "127.0.0.1", host);
            return new DeploymentFiles(folder, pki, hostsFile.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            Folders.deleteQuietly(folder);
            throw e;
        }
    }

    /** The folder, for other files of the same deployment (EMQX's user list, its own hosts file). */
    public Path folder() {
        return folder;
    }

    public String host() {
        return pki.deploymentHost();
    }

    public TestPki pki() {
        return pki;
    }

    /** Resolves {@link #host()} (and {@link HostsFile#OTHER_HOST}) to 127.0.0.1. */
    public Path hostsFile() {
        return hostsFile;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        Folders.deleteQuietly(folder);
    }

    /** 20 random characters, safe in a URL, a shell and a file name: for passwords and unique names. */
    public static String randomSecret() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
