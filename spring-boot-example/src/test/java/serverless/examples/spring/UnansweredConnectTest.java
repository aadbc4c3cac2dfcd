package serverless.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextException;

/**
 * A first connect that timed out after TLS completed says the server never answered the CONNECT; one that timed
 * out before keeps the line that points at the network. Paho reports both as the same timeout.
 */
class UnansweredConnectTest {

    private static final MqttSettings SETTINGS = new MqttSettings("xxxxxxxx.ala.us-east-1.emqxsl.com", 8883, "demo",
            "secret", null, null, null, 1, 10);

    /** As the client manager's failed first connect reaches Boot: wrapped by the lifecycle processor. */
    private static String lineAtStartUp(Throwable cause) {
        return new OneLineFailureAnalyzer().analyze(new ApplicationContextException("Failed to start bean 'clientManager'",
                new ExampleFailure(cause, SETTINGS))).getDescription();
    }

    @Test
    void aTimeoutAfterTlsCompletedIsAConnectNeverAnswered() {
        String line = lineAtStartUp(new UnansweredConnect(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT)));

        assertThat(line).startsWith("The server accepted the connection (TLS completed) but never answered the MQTT"
                + " CONNECT within 10 s. Usually the deployment is starting or overloaded").doesNotContain("timed out");
    }

    @Test
    void aTimeoutBeforeTlsCompletedStillTimedOut() {
        MqttException timeout = new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
        Throwable failure = UnansweredConnect.from(timeout,
                new PahoSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault())); // no handshake completed

        assertThat(failure).isSameAs(timeout);
        assertThat(lineAtStartUp(failure)).startsWith("The connection timed out.");
    }

    @Test
    void anyOtherFailureIsLeftAsItIs() {
        MqttException refused = new MqttException(0x86);
        assertThat(UnansweredConnect.from(refused, null)).isSameAs(refused);
    }
}
