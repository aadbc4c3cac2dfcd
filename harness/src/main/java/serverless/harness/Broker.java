package serverless.harness;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.PublishRecord;
import serverless.harness.broker.QuotaRefusal;

/**
 * A broker the examples are run against, as the examples see it: an address, two TLS ports, a
 * WebSocket path, a user, and what to trust. The suite never knows which implementation is behind it.
 */
public interface Broker {

    /** What the suite may do beyond a round trip. */
    enum Capability {
        /** The broker records every CONNECT and PUBLISH (client id, user, SNI), so tests can check them. */
        CONNECTION_LOG,
        /** The broker runs on this machine under the suite's control (fault cases may be run). */
        LOCAL,
        /** A TLS handshake without SNI is refused, as Serverless does. Found by the suite's BrokerProbe. */
        REFUSES_MISSING_SNI,
        /** A TLS handshake with another name as SNI is refused, as Serverless does. Found by the suite's BrokerProbe. */
        REFUSES_WRONG_SNI,
        /** A connection to the broker's IP address fails (no SNI, or no certificate names it). Found by the suite's BrokerProbe. */
        REFUSES_IP_ADDRESS,
        /** A WebSocket upgrade on a wrong path gets HTTP 404, as EMQX answers it. Found by the suite's BrokerProbe. */
        REFUSES_WRONG_WEBSOCKET_PATH,
        /**
         * QoS 1 messages over 10 a second from one client are refused (MQTT 5 PUBACK 0x97) or dropped (MQTT 3.1.1),
         * as Serverless does. Found by the suite's QuotaProbe.
         */
        REFUSES_PUBLISHES_OVER_RATE,
        /** A client id over 1024 characters is refused in the CONNACK, as Serverless does. Found by the suite's QuotaProbe. */
        REFUSES_LONG_CLIENT_ID
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

    /** Why a test that needs {@code capability} is skipped against this broker, for the skip's reason. */
    default String lacks(Capability capability) {
        return "the broker in use (" + description() + ") lacks " + capability;
    }

    /** The broker's IP address, for the fault of connecting without its name. */
    default String ipAddress() {
        return "127.0.0.1";
    }

    /** A name without a dot that reaches the broker in the examples' JVMs: the JDK sends no SNI for it. */
    default String nameWithoutSni() {
        return "localhost";
    }

    /** Every CONNECT the broker saw; empty unless the broker has {@link Capability#CONNECTION_LOG}. */
    default List<ConnectionRecord> connections() {
        return List.of();
    }

    /** Every PUBLISH the broker received; empty unless the broker has {@link Capability#CONNECTION_LOG}. */
    default List<PublishRecord> publishes() {
        return List.of();
    }

    /** What the broker refused for going over a Serverless quota; empty unless it has {@link Capability#CONNECTION_LOG}. */
    default List<QuotaRefusal> quotaRefusals() {
        return List.of();
    }

    /**
     * Lets these clients publish faster than Serverless' 10 messages a second where the suite can (the local broker;
     * EMQX 5.8.9's limiter only slows a client down, and a deployment's quota is its own): for a test that must, and
     * says why.
     */
    default void liftPublishRate(Collection<String> clientIds) {
    }
}
