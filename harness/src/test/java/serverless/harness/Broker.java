package serverless.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.PublishRecord;

/**
 * A broker the examples are run against, as the examples see it: an address, two TLS ports, a
 * WebSocket path, a user, and what to trust. The suite never knows which implementation is behind it.
 */
public interface Broker {

    /** What the suite may do beyond a round trip. */
    enum Capability {
        /** The broker records every CONNECT and PUBLISH (client id, user, SNI), so tests can check them. */
        CONNECTION_LOG,
        /** Missing or wrong SNI is refused at the TLS handshake, as Serverless does. */
        SNI_ENFORCED,
        /** The broker runs on this machine under the suite's control (fault cases may be run). */
        LOCAL
    }

    /** One line for the test output: which broker this is. */
    String description();

    /** Where the broker is and how to reach it. */
    Endpoint endpoint();

    default String host() {
        return endpoint().host();
    }

    default int tlsPort() {
        return endpoint().tlsPort();
    }

    default int wssPort() {
        return endpoint().wssPort();
    }

    default String wsPath() {
        return endpoint().wsPath();
    }

    default Optional<Path> caFile() {
        return endpoint().caFile();
    }

    default String username() {
        return endpoint().username();
    }

    default String password() {
        return endpoint().password();
    }

    default Optional<Path> hostsFile() {
        return endpoint().hostsFile();
    }

    Set<Capability> capabilities();

    default boolean can(Capability capability) {
        return capabilities().contains(capability);
    }

    /** Every CONNECT the broker saw; empty unless the broker has {@link Capability#CONNECTION_LOG}. */
    default List<ConnectionRecord> connections() {
        return List.of();
    }

    /** Every PUBLISH the broker received; empty unless the broker has {@link Capability#CONNECTION_LOG}. */
    default List<PublishRecord> publishes() {
        return List.of();
    }
}
