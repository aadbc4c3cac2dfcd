package serverless.examples.hivemq;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting
 * order: address, port, TLS (trust, host name, SNI), credentials.
 *
 * <p>The HiveMQ client reports a failed connection as {@code ConnectionFailedException}; the TLS and socket
 * causes inside it are the JDK's own exceptions (or Netty's, which extend the JDK's), found by walking the
 * cause chain. Only the CONNACK, SUBACK and PUBACK refusals are the client's. Set MQTT_DEBUG=true to get
 * the stack trace as well.
 */
final class Failures {

    private static final Pattern IP_ADDRESS = Pattern.compile("^[0-9.]+$|:");

    private Failures() {
    }

    /**
     * Prints the one-line error (and the stack trace with MQTT_DEBUG=true) and returns the exit code.
     * {@code settings} is null when reading them failed.
     */
    static int report(Throwable error, ExampleSettings settings) {
        boolean settingsProblem = error instanceof SettingsException;
        System.err.println("ERROR: " + describe(error, settings));
        if ("true".equalsIgnoreCase(System.getenv("MQTT_DEBUG"))) {
            error.printStackTrace();
        }
        return settingsProblem ? 2 : 1;
    }

    static String describe(Throwable error, ExampleSettings settings) {
        if (error instanceof SettingsException) {
            return error.getMessage();
        }
        if (error instanceof RoundTrip.Stalled) {
            // MQTT 3.1.1 cannot tell the client that a message was over the rate: a message that does not come
            // back may have been dropped for it.
            return error.getMessage() + "."
                    + " Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC; the publish rate:"
                    + " over 10 messages per second per client a Serverless deployment drops messages without"
                    + " telling an MQTT 3.1.1 client (MQTT_PUBLISH_RATE, default 10); and, if the connection was"
                    + " lost, that the deployment is running (its status in the console).";
        }
        if (error instanceof RoundTrip.NotPublished notPublished && pubAck(notPublished) != null) {
            return Refusals.publish(notPublished.number(), pubAck(notPublished).getMqttMessage().getReasonCode().getCode());
        }
        String line = describeConnectionFailure(error, settings == null ? null : settings.clientId());
        String host = settings == null ? null : settings.host();
        if (host != null && IP_ADDRESS.matcher(host).find()) {
            line += " MQTT_HOST " + host + " is an IP address: Serverless needs the deployment's domain name,"
                    + " which the client sends as SNI and checks against the certificate.";
        }
        return line;
    }

    /** The MQTT 5 PUBACK that refused the message (0x97: the broker's per-client publish rate), or null. */
    private static Mqtt5PubAckException pubAck(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Mqtt5PubAckException pubAck) {
                return pubAck;
            }
        }
        return null;
    }

    private static String describeConnectionFailure(Throwable error, String clientId) {
        String refusal = brokerRefusal(error, clientId);
        if (refusal != null) {
            return refusal;
        }
        if (has(error, CertificateExpiredException.class) || has(error, CertificateNotYetValidException.class)) {
            return "The server's certificate has expired or is not yet valid."
                    + " Check the machine's clock; if it is right, the server is not the deployment you meant.";
        }
        if (messageContains(error, "No subject alternative") || messageContains(error, "No name matching")) {
            return "The server's certificate does not match the host name in MQTT_HOST."
                    + " Use the deployment's address exactly as the console shows it, not an IP address or a CNAME.";
        }
        if (has(error, CertPathBuilderException.class) || has(error, CertPathValidatorException.class)
                || messageContains(error, "PKIX path")) {
            return "The server's certificate is not trusted by the CA in use."
                    + " Set MQTT_CA_FILE to the deployment's emqxsl-ca.crt from the console, or unset it to use"
                    + " the JDK's default trust store, which already trusts Serverless' DigiCert root.";
        }
        if (has(error, UnknownHostException.class)) {
            return "The host name in MQTT_HOST could not be resolved."
                    + " Check its spelling against the console and that this machine's DNS works.";
        }
        // Netty's SslHandshakeTimeoutException ("handshake timed out after 10000ms") is an SSLHandshakeException,
        // and its ConnectTimeoutException ("connection timed out after 10000 ms") a ConnectException: both are
        // checked before those. The client's own CONNACK limit says "Timeout while waiting for CONNACK".
        if (messageContains(error, "Timeout while waiting for CONNACK")) {
            return unansweredConnect(); // MQTT 3.1.1 (an MQTT 5 client's DISCONNECT is a broker refusal, above)
        }
        if (messageContains(error, "handshake timed out")) {
            return "The TLS handshake timed out: the server accepted the connection but did not answer with TLS."
                    + " Check that MQTT_PORT is a TLS port (8883) and that no proxy or firewall holds the connection.";
        }
        if (has(error, SocketTimeoutException.class) || messageContains(error, "timed out")) {
            return "The connection timed out."
                    + " Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy"
                    + " lets this machine reach them (try: nc -vz HOST 8883).";
        }
        if (has(error, ConnectException.class)) {
            return "Could not reach the server: connection refused."
                    + " Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084"
                    + " (MQTT over WebSocket with TLS); 1883 and 8083 are not offered.";
        }
        // The JDK: a protocol_version alert from the server, no version enabled here, or a server that chose
        // a version this client does not accept ("... is not accepted by client preferences").
        if (messageContains(error, "protocol_version") || messageContains(error, "No appropriate protocol")
                || messageContains(error, "not accepted by client preferences")) {
            return "The server and this client share no TLS version."
                    + " Serverless speaks TLS 1.2 and 1.3; check that this JVM has not disabled them.";
        }
        // The JDK says "Unsupported or unrecognized SSL message"; Netty's SslHandler, which reads the bytes
        // first, throws NotSslRecordException "not an SSL/TLS record".
        if (messageContains(error, "Unsupported or unrecognized SSL message")
                || messageContains(error, "not an SSL/TLS record")) {
            return "The server did not answer with TLS: MQTT_PORT is not a TLS port."
                    + " Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS).";
        }
        // Netty: "Connection closed while SSL/TLS handshake was in progress" (an SSLHandshakeException).
        if (has(error, SSLHandshakeException.class) || has(error, EOFException.class)
                || has(error, ClosedChannelException.class) || messageContains(error, "Connection reset")) {
            return "The server closed the connection during the TLS handshake."
                    + " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
                    + " that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883).";
        }
        if (has(error, TimeoutException.class)) {
            return "The broker did not answer a SUBSCRIBE, UNSUBSCRIBE or DISCONNECT within 10 s."
                    + " Check that the user's ACL allows it to subscribe to MQTT_TOPIC, and the deployment's status.";
        }
        if (has(error, ConnectionClosedException.class)) {
            return "The connection closed unexpectedly (" + rootCause(error) + ")."
                    + " Check that MQTT_PORT is the deployment's MQTT over TLS port (8883); if it closed after"
                    + " connecting, check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC.";
        }
        return "Unexpected failure: " + rootCause(error) + "."
                + " Run again with MQTT_DEBUG=true for the stack trace, and include it in a support ticket"
                + " (with the deployment, client type and version, and your code without the password).";
    }

    /** CONNACK, SUBACK and DISCONNECT reason codes, as the client reports them; null when there is none. */
    private static String brokerRefusal(Throwable error, String clientId) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Mqtt5ConnAckException connAck
                    && connAck.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID) {
                return clientIdRefusal(clientId);
            }
            if (t instanceof Mqtt3ConnAckException connAck
                    && connAck.getMqttMessage().getReturnCode() == Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED) {
                return clientIdRefusal(clientId);
            }
            if (t instanceof Mqtt5ConnAckException connAck) {
                Mqtt5ConnAckReasonCode code = connAck.getMqttMessage().getReasonCode();
                return connectRefusal(code == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        code == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                        code + " (0x" + Integer.toHexString(code.getCode()) + ")");
            }
            if (t instanceof Mqtt3ConnAckException connAck) {
                Mqtt3ConnAckReturnCode code = connAck.getMqttMessage().getReturnCode();
                return connectRefusal(code == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD,
                        code == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, code + " (" + code.getCode() + ")");
            }
            if (t instanceof Mqtt5SubAckException subAck) {
                int refusal = subAck.getMqttMessage().getReasonCodes().stream().filter(Mqtt5SubAckReasonCode::isError)
                        .findFirst().map(Mqtt5SubAckReasonCode::getCode).orElse(Refusals.UNSPECIFIED_ERROR);
                return Refusals.subscription(Refusals.named(refusal));
            }
            if (t instanceof Mqtt3SubAckException) {
                return Refusals.subscription(Refusals.MQTT3_SUBACK_FAILURE);
            }
            if (t instanceof Mqtt5DisconnectException && String.valueOf(t.getMessage()).contains("CONNACK")) {
                // The client's own bound on the CONNACK ran out: it sends a DISCONNECT itself and reports that.
                return unansweredConnect();
            }
            if (t instanceof Mqtt5DisconnectException disconnect) {
                return "The broker closed the connection (DISCONNECT "
                        + disconnect.getMqttMessage().getReasonCode() + ")."
                        + " Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC.";
            }
        }
        return null;
    }

    /**
     * CONNACK "client identifier not valid" (MQTT 5: 0x85) or "identifier rejected" (MQTT 3.1.1: 2). The usual
     * cause is the length: Serverless takes up to 1024 characters, but an older limit of 23 for MQTT 3.x (the
     * MQTT 3.1 maximum) is still met on some deployments.
     */
    private static String clientIdRefusal(String clientId) {
        String length = clientId == null ? "" : ", " + clientId.codePointCount(0, clientId.length()) + " characters";
        return "The broker rejected the client id (MQTT_CLIENT_ID" + length + "). Use a shorter one: Serverless"
                + " accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works everywhere.";
    }

    private static String connectRefusal(boolean badCredentials, boolean notAuthorized, String code) {
        if (badCredentials) {
            return "The broker refused the username or password (CONNACK: bad user name or password)."
                    + " Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page.";
        }
        if (notAuthorized) {
            return "The broker refused the connection: not authorized (CONNACK)."
                    + " Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect.";
        }
        return "The broker refused the connection (CONNACK " + code + ")."
                + " Check MQTT_USERNAME, MQTT_PASSWORD and MQTT_CLIENT_ID, and the deployment's status in the console.";
    }

    /**
     * The client's bound on the CONNACK ("Timeout while waiting for CONNACK"), which starts once TLS is up (TCP and
     * the handshake have bounds of their own): the server completed TLS, so the network is fine, and never answered
     * the MQTT CONNECT.
     */
    private static String unansweredConnect() {
        return "The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within 10 s."
                + " Usually the deployment is starting or overloaded: check its status in the console and try again"
                + " in a minute. If it lasts, something between this machine and the deployment (a proxy or load"
                + " balancer) may speak TLS but not MQTT: connect to the deployment's address and port 8883 directly.";
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean messageContains(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
