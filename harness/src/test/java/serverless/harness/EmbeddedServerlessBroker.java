package serverless.harness;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.EmbeddedBroker;
import serverless.harness.broker.PublishRecord;
import serverless.harness.pki.TestPki;

/** The embedded HiveMQ CE broker behind its SNI-checking front, seen as a {@link Broker}. */
final class EmbeddedServerlessBroker implements Broker, AutoCloseable {

    private final EmbeddedBroker broker;
    private final Endpoint endpoint;

    private EmbeddedServerlessBroker(EmbeddedBroker broker, Endpoint endpoint) {
        this.broker = broker;
        this.endpoint = endpoint;
    }

    static EmbeddedServerlessBroker start(TestPki pki, Path hostsFile, String username, String password) throws Exception {
        return start(pki, hostsFile, username, password, List.of());
    }

    /** A broker whose TLS listeners speak only {@code tlsProtocols} (empty: TLS 1.3 and 1.2, like Serverless). */
    static EmbeddedServerlessBroker start(TestPki pki, Path hostsFile, String username, String password,
            List<String> tlsProtocols) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(pki, TestBed.DEPLOYMENT_HOST, Map.of(username, password), tlsProtocols);
        return new EmbeddedServerlessBroker(broker, new Endpoint(broker.host(), broker.tlsPort(), broker.wssPort(),
                broker.wsPath(), Optional.of(pki.caCertificate()), username, password, Optional.of(hostsFile)));
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
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public List<ConnectionRecord> connections() {
        return broker.connections();
    }

    @Override
    public List<PublishRecord> publishes() {
        return broker.publishes();
    }

    /** Stops the broker and starts it again on the same ports, with the sessions it had (file persistence). */
    void restart() {
        broker.restart();
    }

    @Override
    public void close() {
        broker.close();
    }
}
