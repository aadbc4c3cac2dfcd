package serverless.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.PublishRecord;
import serverless.harness.broker.QuotaRefusal;
import serverless.harness.pki.TestPki;

/** The embedded HiveMQ CE broker behind its SNI-checking front, seen as a {@link Broker}. */
public final class EmbeddedServerlessBroker implements Broker, AutoCloseable {

    private final LocalBroker broker;
    private final Endpoint endpoint;

    private EmbeddedServerlessBroker(LocalBroker broker, Endpoint endpoint) {
        this.broker = broker;
        this.endpoint = endpoint;
    }

    /** Starts the broker. Only one can run in a JVM at a time: {@link TestBed#localBroker()} is the run's one. */
    static EmbeddedServerlessBroker start(TestPki pki, Path hostsFile, String username, String password) throws Exception {
        LocalBroker broker = LocalBroker.start(pki, TestBed.DEPLOYMENT_HOST, Map.of(username, password));
        return new EmbeddedServerlessBroker(broker, new Endpoint(broker.host(), broker.tlsPort(), broker.wssPort(),
                broker.wsPath(), Optional.of(pki.caCertificate()), username, password, Optional.of(hostsFile)));
    }

    /** The same broker through its ports that speak only TLS 1.2; the same user, SNI check and records. */
    Broker tls12Only() {
        Endpoint tls12 = new Endpoint(host(), broker.tls12TlsPort(), broker.tls12WssPort(), wsPath(), caFile(),
                username(), password(), hostsFile());
        return new ForwardingBroker(this) {
            @Override
            public String description() {
                return "the embedded broker's TLS 1.2-only ports (mqtts " + tls12.tlsPort() + ", wss " + tls12.wssPort() + ")";
            }

            @Override
            public Endpoint endpoint() {
                return tls12;
            }
        };
    }

    /**
     * The broker's own listeners, without the SNI front: a TLS broker with password authentication that
     * accepts any SNI or none and does not answer a wrong WebSocket path, like many self-hosted brokers.
     */
    Endpoint direct() {
        return new Endpoint(host(), broker.directTlsPort(), broker.directWssPort(), wsPath(), caFile(), username(),
                password(), hostsFile());
    }

    @Override
    public String description() {
        return "embedded HiveMQ CE behind an SNI-checking front, TLS-only (mqtts " + tlsPort() + ", wss "
                + wssPort() + wsPath() + "), password auth, started in " + broker.startupTime().toMillis() + " ms";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Set<Trait> traits() {
        return EnumSet.of(Trait.CONNECTION_LOG, Trait.STARTED_BY_THE_SUITE); // what it refuses, BrokerProbe finds
    }

    @Override
    public List<ConnectionRecord> connections() {
        return broker.connections();
    }

    @Override
    public List<PublishRecord> publishes() {
        return broker.publishes();
    }

    /** The broker itself, for the broker's own tests. */
    public LocalBroker embedded() {
        return broker;
    }

    /**
     * Lets these clients publish faster than Serverless' 10 messages a second, for the rest of the run; every other
     * client still meets the quota. A test that does so says why. See {@link LocalBroker#liftPublishRate}.
     */
    @Override
    public void liftPublishRate(Collection<String> clientIds) {
        broker.liftPublishRate(clientIds);
    }

    /** What the broker refused because a client went over a Serverless quota, oldest first. */
    @Override
    public List<QuotaRefusal> quotaRefusals() {
        return broker.quotaRefusals();
    }

    /**
     * Holds back every PUBLISH of these clients after their first {@code passed}, until {@link #restart()}, letting
     * one of each through every {@code trickle}.
     */
    void holdPublishes(Set<String> clientIds, int passed, Duration trickle) {
        broker.holdPublishes(clientIds, passed, trickle);
    }

    /**
     * Drops every connection, then stops the broker and starts it again on the same ports, with the sessions
     * it had (file persistence). Held PUBLISHes are let through once their connections are gone.
     */
    void restart() {
        broker.restart();
    }

    @Override
    public void close() {
        broker.close();
    }

    /** See {@link LocalBroker#closeAsTheJvmExits()}: for the end of the test run. */
    void closeAsTheJvmExits() {
        broker.closeAsTheJvmExits();
    }
}
