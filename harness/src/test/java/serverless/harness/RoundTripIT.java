package serverless.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, and every single-file starter, run as a user runs it, connects over TLS, subscribes, publishes at
 * QoS 1, receives its own message back and disconnects, printing exactly the lines CONTRIBUTING.md promises and
 * exiting 0.
 *
 * <p>Here each starts with exactly the command its README gives ({@link ExampleRun#asUsersTypeIt()}): the other
 * suites start Java programs with start-up aids (a class-data archive, a Spring Boot jar extracted), and this
 * is where the plain command is proven.
 */
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class RoundTripIT {

    /**
     * From the program's first line ("Connecting to ...": it has started) to its end, a round trip on this machine
     * takes a second or two; far more means something waited on a timeout. The start before that line is bound by
     * CPU, not by the network, and here it has none of the other suites' start-up aids: on one busy CPU a Spring
     * Boot jar took most of a minute to get there.
     */
    private static final Duration BOUND = Duration.ofSeconds(20);

    /**
     * A framework's executable jar first: as users type it, without the start-up aids, it takes several times as long
     * to start as a bare client, so it goes first to overlap the others' runs instead of trailing them. (JUnit's
     * workers take a class's concurrent cases from the front of the list, and the thread that listed them from
     * the back: the middle starts last.)
     */
    static Stream<Example> examplesSlowestToStartFirst() {
        return Arrays.stream(Example.values()).sorted(Comparator.comparing(example ->
                !(example.program() instanceof JavaProgram java && java.launch() == JavaProgram.Launch.EXECUTABLE_JAR)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesSlowestToStartFirst")
    void roundTrip(Example example, Broker broker) {
        ExampleRun run = ExampleRun.of(example, broker, "roundtrip-" + example.name().toLowerCase(Locale.ROOT)).asUsersTypeIt();

        RunResult result = run.execute();

        RoundTripAssertions.assertCompleteRoundTrip(result, run, broker, 1);
        assertQuickAndUninterrupted(result);
        assertTheBrokerRecorded(broker, run.clientId(), run.topic());
    }

    /**
     * The single-file starter beside each example (README's "Start here"), given only the deployment's variables: the
     * same contract for its one message, with the client id and topic it names itself.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Starter.class)
    void starterRoundTrip(Starter starter, Broker broker) {
        assumeTrue(starter.transport() == Transport.TLS || broker.endpoint().wsPath().equals("/mqtt"),
                () -> "the WebSocket starters use Serverless' path /mqtt; this broker's is " + broker.endpoint().wsPath());
        ExampleRun run = ExampleRun.of(starter, broker, "starter-" + starter.name().toLowerCase(Locale.ROOT)).asUsersTypeIt();

        RunResult result = run.execute();

        String clientId = RoundTripAssertions.assertStarterRoundTrip(result, broker);
        assertQuickAndUninterrupted(result);
        assertTheBrokerRecorded(broker, clientId, "serverless-examples/" + clientId);
    }

    private static void assertQuickAndUninterrupted(RunResult result) {
        assertTrue(result.sinceFirstLine().compareTo(BOUND) < 0, () -> "took longer than " + BOUND + " from its first line: "
                + result.transcript());
        assertEquals(List.of(), RoundTripAssertions.reconnectLines(result), "nothing dropped the connection");
    }

    /** Where the broker keeps a record: the run's client connected as the user, with SNI, over TLS 1.3, and published. */
    private static void assertTheBrokerRecorded(Broker broker, String clientId, String topic) {
        if (!broker.has(Broker.Trait.CONNECTION_LOG)) {
            return;
        }
        await("the broker's record of this run").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            // TLS 1.3 where both sides offer it, as Serverless and the JDK do (TLS 1.2: TlsVersionIT).
            assertTrue(broker.connections().stream().anyMatch(connection ->
                    connection.clientId().equals(clientId) && connection.accepted()
                            && connection.username().equals(broker.username())
                            && connection.sniHostname().equals(broker.host())
                            && connection.tlsProtocol().equals("TLSv1.3")),
                    () -> "no accepted TLS 1.3 connection by " + clientId + " as " + broker.username()
                            + " with SNI " + broker.host() + " in " + broker.connections());
            assertTrue(broker.publishes().stream().anyMatch(publish ->
                    publish.clientId().equals(clientId) && publish.topic().equals(topic)),
                    () -> "the broker saw no PUBLISH by " + clientId + " on " + topic);
        });
    }
}
