package serverless.harness.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary folders the harness makes (PKI, broker data, hosts files) are deleted with this. */
public final class Folders {

    private Folders() {
    }

    /** Deletes {@code root} and everything in it; nothing happens when it does not exist. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /** Deletes what it can of {@code root} and its contents, ignoring what cannot be deleted (or appears meanwhile). */
    public static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (UncheckedIOException e) {
            // a file written meanwhile: left for the operating system's temporary-file cleaning
        }
    }
}
