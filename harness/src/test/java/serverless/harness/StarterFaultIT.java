package serverless.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every single-file starter, given the mistakes its few lines must still get right, ends within 15 s with exit code 1
 * and exactly one {@code ERROR:} line: never a hang, a stack trace or the password. A starter prints its library's
 * own words, not the full examples' explanations, so no phrase is required but where the fault's proof needs one.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class StarterFaultIT {

    /** A wrong password, a CA that did not sign the server, and a handshake without SNI, as any example meets them. */
    private static final List<Fault> FAULTS = List.of(Fault.WRONG_PASSWORD, Fault.UNTRUSTED_CA, Fault.NO_SNI);

    static Stream<Arguments> cases() {
        return Arrays.stream(Starter.values()).flatMap(starter -> FAULTS.stream().map(fault -> Arguments.of(starter, fault)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void faultEndsInOneErrorLine(Starter starter, Fault fault, TestBed bed) {
        FaultCase.checkStarter(starter, fault, bed.broker(), bed);
    }

    /**
     * The broker's IP address as MQTT_HOST, on the local broker's listener without the SNI front, which accepts any SNI
     * or none and presents the deployment's certificate, trusted and valid but for its name: only the starter's host
     * name verification can refuse it (with it off, the run would complete). The line names the address the
     * certificate does not cover, as the JDK, Node.js, OpenSSL and Go all word it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Starter.class)
    void anIpAddressFailsHostNameVerification(Starter starter, TestBed bed) {
        LocalDeployment deployment = bed.localDeployment();
        Endpoint direct = deployment.directEndpoint();
        ExampleRun run = ExampleRun.of(starter, deployment, "starter-ip-" + starter.name().toLowerCase(Locale.ROOT))
                .set("MQTT_HOST", deployment.ipAddress())
                .set("MQTT_PORT", String.valueOf(starter.transport() == Transport.WSS ? direct.wssPort() : direct.tlsPort()));

        RunResult result = run.execute();

        ErrorLineAssertions.assertEndsInOneErrorLine(result,
                new ErrorLineAssertions.ExpectedError(1, List.of(deployment.ipAddress()), Fault.IP_ADDRESS.bound()),
                deployment.password());
    }
}
