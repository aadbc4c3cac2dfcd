package serverless.harness;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers finds a Docker engine here, and if not, why: the reason a skipped EMQX test gives. */
final class Docker {

    private static volatile Optional<String> unavailableReason;

    private Docker() {
    }

    static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Empty when Docker is available; asked once per run. */
    static synchronized Optional<String> unavailableReason() {
        if (unavailableReason == null) {
            try {
                DockerClientFactory.instance().client();
                unavailableReason = Optional.empty();
            } catch (RuntimeException | LinkageError e) {
                unavailableReason = Optional.of("no Docker engine found (" + e.getMessage() + ")");
            }
        }
        return unavailableReason;
    }
}
