package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Serverless speaks TLS 1.2 and 1.3, and no example pins either: each one completes its round trip when
 * its JVM allows only TLS 1.2, and when it allows only TLS 1.3; the broker confirms which was used.
 * (A server offering only TLS 1.1 is refused: {@link Fault#OLD_TLS_VERSION} in {@link FaultIT}.)
 */
@ExtendWith(TestBedExtension.class)
@Timeout(60)
class TlsVersionIT {

    static Stream<Arguments> cases() {
        return Arrays.stream(Example.values())
                .flatMap(example -> Stream.of("TLSv1.2", "TLSv1.3").map(version -> Arguments.of(example, version)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void roundTripWithOnlyThisTlsVersion(Example example, String version, Broker broker) {
        ExampleRun run = ExampleRun.of(example, broker, version.replace("TLSv", "tls") + "-" + example.name().toLowerCase())
                // The JDK's own switch for the versions a client offers; the examples leave the choice to it.
                .jvmOption("-Djdk.tls.client.protocols=" + version);

        RoundTripAssertions.assertCompleteRoundTrip(run.execute(), run, broker, 1);

        if (broker.can(Broker.Capability.CONNECTION_LOG)) {
            await("the broker's record of the TLS version").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertTrue(broker.connections().stream().anyMatch(connection ->
                                    connection.clientId().equals(run.clientId()) && connection.tlsProtocol().equals(version)),
                            () -> "no connection by " + run.clientId() + " over " + version + " in " + broker.connections()));
        }
    }
}
