package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Serverless speaks TLS 1.3 and 1.2, and no example pins a version: against ports that offer only
 * TLS 1.2, every example still completes its round trip, and the broker confirms TLS 1.2 was used.
 * (TLS 1.3 against the default ports: {@link RoundTripIT}. A server offering only TLS 1.1 is refused:
 * {@link Fault#OLD_TLS_VERSION} in {@link FaultIT}.)
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class TlsVersionIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Example.class)
    void roundTripWithAServerThatOffersOnlyTls12(Example example, TestBed bed) {
        Broker broker = tls12Only(bed.localDeployment());
        ExampleRun run = ExampleRun.of(example, broker, "tls12-" + example.name().toLowerCase());

        RoundTripAssertions.assertCompleteRoundTrip(run.execute(), run, broker, 1);

        await("the broker's record of the TLS version").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertTrue(broker.connections().stream().anyMatch(connection ->
                                connection.clientId().equals(run.clientId()) && connection.tlsProtocol().equals("TLSv1.2")),
                        () -> "no TLS 1.2 connection by " + run.clientId() + " in " + broker.connections()));
    }

    /** The local deployment through its broker's ports that speak only TLS 1.2: the same user, SNI check and records. */
    private static Broker tls12Only(LocalDeployment deployment) {
        Endpoint tls12 = deployment.tls12Endpoint();
        return new ForwardingBroker(deployment) {
            @Override
            public String description() {
                return "the local broker's TLS 1.2-only ports (mqtts " + tls12.tlsPort() + ", wss " + tls12.wssPort() + ")";
            }

            @Override
            public Endpoint endpoint() {
                return tls12;
            }
        };
    }
}
