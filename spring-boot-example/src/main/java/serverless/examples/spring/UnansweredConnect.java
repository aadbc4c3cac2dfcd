package serverless.examples.spring;

import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A first connect that got through TLS but never got its CONNACK within the client manager's bound: the server
 * accepted the connection and never answered the MQTT CONNECT, as a deployment that is starting or overloaded may, or
 * something in between that speaks TLS but not MQTT. The network is fine then, so this must not end in the line for a
 * connection that timed out; yet Paho reports both as the same timeout, without a cause.
 */
final class UnansweredConnect extends Exception {

    UnansweredConnect(Throwable timeout) {
        super("the server completed TLS but sent no CONNACK", timeout);
    }

    /**
     * What a failed first connect was: an UnansweredConnect when Paho timed out after a TLS handshake had completed on
     * a socket of {@code sockets} (the connection options' factory, see {@link PahoSocketFactory}); otherwise
     * {@code failure} as it is.
     */
    static Throwable from(Throwable failure, SocketFactory sockets) {
        boolean timedOut = failure instanceof MqttException paho
                && paho.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT;
        boolean tlsCompleted = sockets instanceof PahoSocketFactory factory && factory.handshakeCompleted();
        return timedOut && tlsCompleted ? new UnansweredConnect(failure) : failure;
    }
}
