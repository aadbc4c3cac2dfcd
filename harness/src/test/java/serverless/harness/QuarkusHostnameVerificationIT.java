package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Quarkus example's trap, proven once. Quarkus' MQTT connector checks no host name unless told to (its
 * {@code ssl.hostname-verification-algorithm} defaults to NONE); the example tells it, in the TLS registry:
 * {@code quarkus.tls.mqtt.hostname-verification-algorithm=HTTPS}. The same run, a certificate for another
 * host (signed by the trusted CA), once with that setting overridden to NONE from outside, as a copied
 * configuration without the line behaves (an environment variable Quarkus maps onto it; the same jar), and
 * once as shipped.
 *
 * <p>The server is the local broker itself, reached as {@link HostsFile#OTHER_HOST} on its listener without the
 * SNI front, so that a certificate accepted shows as what it is, a complete round trip with a server that is
 * not the host the client asked for. ({@link FaultIT} runs the wrong-host certificate fixture as shipped.)
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class QuarkusHostnameVerificationIT {

    /** quarkus.tls.mqtt.hostname-verification-algorithm, as an environment variable. */
    private static final String VERIFICATION_SETTING = "QUARKUS_TLS_MQTT_HOSTNAME_VERIFICATION_ALGORITHM";

    @Test
    void withoutTheSettingACertificateForAnotherHostIsAccepted(TestBed bed) {
        RunResult result = runAgainstACertificateForAnotherHost(bed, "hostname-none").set(VERIFICATION_SETTING, "NONE").execute();

        assertAll(result.transcript(),
                () -> assertEquals(0, result.exitCode(), "connected, and completed its round trip"),
                () -> assertTrue(result.stdout().contains("Received 1/1 messages"), "the message came back"));
    }

    /** As any example given {@link Fault#CERTIFICATE_FOR_OTHER_HOST}: the failure contract, with that fault's promise. */
    @Test
    void withTheSettingTheSameRunEndsInOneLine(TestBed bed) {
        ExampleRun run = runAgainstACertificateForAnotherHost(bed, "hostname-https");

        RunResult result = run.execute();

        ErrorLineAssertions.assertEndsInOneErrorLine(result,
                ErrorLineAssertions.ExpectedError.of(Fault.CERTIFICATE_FOR_OTHER_HOST, Example.QUARKUS),
                run.broker().password());
    }

    private static ExampleRun runAgainstACertificateForAnotherHost(TestBed bed, String name) {
        LocalDeployment broker = bed.localDeployment();
        return ExampleRun.of(Example.QUARKUS, broker, name)
                .set("MQTT_HOST", HostsFile.OTHER_HOST) // resolves to this machine; the certificate names another host
                .set("MQTT_PORT", String.valueOf(broker.directEndpoint().tlsPort()));
    }
}
