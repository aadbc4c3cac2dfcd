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

    /** What a broker implementation says of itself, beyond a round trip. */
    enum Trait implements Requirement {
        /** The broker records every CONNECT and PUBLISH (client id, user, SNI), so tests can check them. */
        CONNECTION_LOG,
        /**
         * The suite started this broker for the run (the embedded one, the EMQX container) and may break things with it:
         * its name leads to this machine, where the fault servers stand in for it, and bad credentials cost nobody's
         * deployment anything. A broker described by MQTT_* variables never has it, even one on this machine.
         */
        STARTED_BY_THE_SUITE,
        /**
         * The broker's ACL lets its user subscribe to the topics under {@code serverless-examples/read-only/} but not
         * publish on them, and refuses such a PUBLISH as EMQX does ({@code broker.ReadOnlyTopics}): only the local
         * broker is set up so; no other broker's ACL is the suite's to know.
         */
        READ_ONLY_TOPICS;

        @Override
        public boolean isMetBy(Broker broker) {
            return broker.has(this);
        }
    }

    /**
     * What Serverless refuses and a broker may not: the suite's probes ({@code BrokerProbe}, {@code QuotaProbe}) find
     * which of these the broker in use makes, since no broker's own word is taken for it.
     */
    enum Refusal implements Requirement {
        /** A TLS handshake without SNI. */
        MISSING_SNI,
        /** A TLS handshake with another name as SNI. */
        WRONG_SNI,
        /** A connection to the broker's IP address (no SNI, or no certificate names it). */
        IP_ADDRESS,
        /** A WebSocket upgrade on a wrong path, with HTTP 404 as EMQX answers it. */
        WRONG_WEBSOCKET_PATH,
        /** QoS 1 messages over 10 a second from one client: refused (MQTT 5 PUBACK 0x97) or dropped (MQTT 3.1.1). */
        PUBLISHES_OVER_RATE,
        /** A client id over 1024 characters, in the CONNACK. */
        LONG_CLIENT_ID,
        /** A subscription to a topic filter of more than 10 levels, in the SUBACK. */
        DEEP_TOPIC_FILTER;

        @Override
        public boolean isMetBy(Broker broker) {
            return broker.refuses(this);
        }
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

    Set<Trait> traits();

    default boolean has(Trait trait) {
        return traits().contains(trait);
    }

    /** Whether the broker makes {@code refusal}: none is known until a probe finds it ({@code ProbedBroker}). */
    default boolean refuses(Refusal refusal) {
        return false;
    }

    /** Why a test that needs {@code requirement} is skipped against this broker, for the skip's reason. */
    default String lacks(Requirement requirement) {
        return "the broker in use (" + description() + ") lacks " + requirement;
    }

    /** The broker's IP address, for the fault of connecting without its name. */
    default String ipAddress() {
        return "127.0.0.1";
    }

    /** A name without a dot that reaches the broker in the examples' JVMs: the JDK sends no SNI for it. */
    default String nameWithoutSni() {
        return "localhost";
    }

    /** Every CONNECT the broker saw; empty unless the broker has {@link Trait#CONNECTION_LOG}. */
    default List<ConnectionRecord> connections() {
        return List.of();
    }

    /** Every PUBLISH the broker received; empty unless the broker has {@link Trait#CONNECTION_LOG}. */
    default List<PublishRecord> publishes() {
        return List.of();
    }

    /** What the broker refused for going over a Serverless quota; empty unless it has {@link Trait#CONNECTION_LOG}. */
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
