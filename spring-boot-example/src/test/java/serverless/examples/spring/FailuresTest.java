package serverless.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextException;

/**
 * The one-line errors, found through the wrappers Spring puts around them (a lifecycle start that failed, a
 * runner that threw), with the phrases the harness checks.
 */
class FailuresTest {

    private static final MqttSettings SETTINGS = new MqttSettings("xxxxxxxx.ala.us-east-1.emqxsl.com", 8883, "demo",
            "secret", null, null, "c".repeat(1100), 1, 10);

    /** As the client manager's failed first connect reaches Boot: wrapped by the lifecycle processor. */
    private static Throwable atStartUp(Throwable cause, MqttSettings settings) {
        return new ApplicationContextException("Failed to start bean 'clientManager'", new ExampleFailure(cause, settings));
    }

    @Test
    void aRefusedPasswordNamesBothVariables() {
        String line = new OneLineFailureAnalyzer().analyze(atStartUp(new MqttException(0x86), SETTINGS)).getDescription();
        assertThat(line).contains("username or password", "MQTT_USERNAME", "MQTT_PASSWORD");
    }

    @Test
    void aRefusedClientIdNamesTheVariableItsLengthAndTheLimits() {
        assertThat(Failures.describe(atStartUp(new MqttException(0x85), SETTINGS), SETTINGS))
                .contains("client id", "MQTT_CLIENT_ID, 1100 characters", "23");
    }

    @Test
    void anUntrustedCertificateSaysNotTrusted() {
        Throwable pkix = new MqttException(new SSLHandshakeException("PKIX path building failed"));
        pkix.getCause().initCause(new CertPathBuilderException("unable to find valid certification path"));
        assertThat(Failures.describe(atStartUp(pkix, SETTINGS), SETTINGS)).contains("not trusted", "MQTT_CA_FILE");
    }

    @Test
    void aCertificateForAnotherHostSaysDoesNotMatch() {
        Throwable mismatch = new MqttException(new SSLHandshakeException("No subject alternative DNS name matching x found."));
        assertThat(Failures.describe(atStartUp(mismatch, SETTINGS), SETTINGS)).contains("does not match");
    }

    @Test
    void anIpAddressInTheHostIsPointedOut() {
        MqttSettings byAddress = new MqttSettings("127.0.0.1", 8883, "demo", "secret", null, null, null, 1, 10);
        Throwable refused = new MqttException(new ConnectException("Connection refused"));
        assertThat(new OneLineFailureAnalyzer().analyze(atStartUp(refused, byAddress)).getDescription())
                .contains("connection refused", "IP address");
    }

    @Test
    void aPubAckWithQuotaExceededSaysWhatToKeepTheRateAt() {
        Throwable inRunner = new IllegalStateException("Failed to execute ApplicationRunner",
                new ExampleFailure(new RoundTrip.Refused(11, 0x97), SETTINGS));
        assertThat(new OneLineFailureAnalyzer().analyze(inRunner).getDescription())
                .contains("message 11", "quota exceeded", "MQTT_PUBLISH_RATE");
    }

    @Test
    void aPubAckFromTheAclSaysSoAndWhereToLook() {
        Throwable inRunner = new IllegalStateException("Failed to execute ApplicationRunner",
                new ExampleFailure(new RoundTrip.Refused(1, 0x87), SETTINGS));
        assertThat(new OneLineFailureAnalyzer().analyze(inRunner).getDescription()).isEqualTo("The broker refused message 1"
                + " with reason code 0x87 (not authorized): the user's ACL does not allow publishing on MQTT_TOPIC. Check"
                + " the deployment's Authorization page, or set MQTT_TOPIC to a topic the user may publish on.");
    }

    @Test
    void everyOtherPubAckRefusalNamesItsReasonCode() {
        assertThat(Failures.describe(new RoundTrip.Refused(2, 0x90), SETTINGS))
                .startsWith("The broker refused message 2 with reason code 0x90 (topic name invalid)").contains("MQTT_TOPIC");
        assertThat(Failures.describe(new RoundTrip.Refused(2, 0x80), SETTINGS))
                .startsWith("The broker refused message 2 with reason code 0x80 (unspecified error)");
    }

    /** As the inbound adapter's failed subscription reaches the runner; 0x87 here is the SUBACK's, not a CONNACK's. */
    @Test
    void aRefusedSubscriptionNamesTheAclAndTheSubscriptionQuota() {
        Throwable inRunner = new IllegalStateException("Failed to execute ApplicationRunner",
                new ExampleFailure(new Refusals.SubscriptionRefused(0x87), SETTINGS));
        assertThat(new OneLineFailureAnalyzer().analyze(inRunner).getDescription()).isEqualTo("The broker refused the"
                + " subscription to MQTT_TOPIC (SUBACK 0x87 not authorized). Check that the user's ACL allows it to"
                + " subscribe to that topic (the deployment's Authorization page), and Serverless' subscription quota:"
                + " at most 10 subscriptions per client and 10 levels per topic filter.");
    }

    @Test
    void messagesThatDidNotComeBackPointAtTheAcl() {
        Throwable inRunner = new IllegalStateException("Failed to execute ApplicationRunner", new ExampleFailure(
                new RoundTrip.Stalled("20 of 30 messages did not come back within 20 s of the last one", true), SETTINGS));
        assertThat(new OneLineFailureAnalyzer().analyze(inRunner).getDescription())
                .startsWith("20 of 30 messages did not come back").contains("ACL", "MQTT_PUBLISH_RATE");
    }

    @Test
    void theLineNeverHasThePassword() {
        assertThat(Failures.describe(atStartUp(new MqttException(0x86), SETTINGS), SETTINGS)).doesNotContain("secret");
    }
}
