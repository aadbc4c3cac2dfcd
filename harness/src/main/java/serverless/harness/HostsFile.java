package serverless.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The hosts file a program gets instead of DNS ({@code -Djdk.net.hosts.file} for a JVM, a small resolver for a
 * script): it resolves a deployment's name to the address of the broker behind it, without editing /etc/hosts, so
 * the program sends that name as SNI and checks it against the certificate exactly as against a real deployment.
 * It also gives that address {@link #OTHER_HOST}, the CNAME-like alias of the wrong-SNI fault.
 */
public final class HostsFile {

    /**
     * Another name for the deployment's address, in every hosts file: a CNAME-like alias (what a user's own domain
     * pointing at the deployment is), which the certificate and the SNI check reject.
     */
    public static final String OTHER_HOST = "other.emqxsl.test";

    private HostsFile() {
    }

    /**
     * Writes {@code file}: {@code address} under {@code host}, {@link #OTHER_HOST} and every one of
     * {@code otherNames}; {@code localhost} stays this machine (the no-SNI fault's name for a local broker).
     */
    public static Path write(Path file, String address, String host, String... otherNames) throws IOException {
        List<String> names = Stream.concat(Stream.of(host, OTHER_HOST), Stream.of(otherNames))
                .distinct().toList();
        return Files.writeString(file, names.stream().map(name -> address + " " + name + "\n").collect(Collectors.joining())
                + "127.0.0.1 localhost\n");
    }
}
