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

    /** The deployment's host name: what goes into MQTT_HOST, sent as SNI, and in the certificate. */
    String host();

    int tlsPort();

    int wssPort();

    String wsPath();

    /** The CA file the examples get as MQTT_CA_FILE; empty means the JDK's default trust store. */
    Optional<Path> caFile();

    String username();

    String password();

    /** A hosts file that makes {@link #host()} resolve to this machine in the examples' JVMs, if needed. */
    Optional<Path> hostsFile();

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
