package serverless.examples.vertx;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.MqttException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting
 * order: address, port, TLS (trust, host name, SNI), credentials.
 *
 * <p>The TLS and socket causes are the JDK's own exceptions (some in Netty subclasses), found by walking the
 * cause chain; the CONNACK codes come in vertx-mqtt's {@link MqttConnectionException}. Set MQTT_DEBUG=true
 * to get the stack trace as well.
 */
final class Failures {

    /**
     * SUBACK return code 0x80 (MQTT 3.1.1 "Failure"). vertx-mqtt hands the SUBACK to a handler without judging
     * it; the example fails its subscription with an {@link MqttException} carrying this code.
     */
    static final int SUBSCRIPTION_REFUSED = 0x80;

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
        String line = describeConnectionFailure(error, settings == null ? null : settings.clientId());
        String host = settings == null ? null : settings.host();
        if (host != null && IP_ADDRESS.matcher(host).find()) {
            line += " MQTT_HOST " + host + " is an IP address: Serverless needs the deployment's domain name,"
                    + " which the client sends as SNI and checks against the certificate.";
        }
        return line;
    }

    private static String describeConnectionFailure(Throwable error, String clientId) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RoundTrip.MessagesMissingException missing) {
                // MQTT 3.1.1 cannot tell the client that a message was over the rate: a message that does not
                // come back may have been dropped for it.
                return missing.getMessage() + "."
                        + " Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC; the publish"
                        + " rate: over 10 messages per second per client a Serverless deployment drops messages"
                        + " without telling an MQTT 3.1.1 client (MQTT_PUBLISH_RATE, default 10); and the"
                        + " deployment's status in the console.";
            }
        }
        // vertx-mqtt speaks MQTT 3.1.1: CONNACK return codes 4 and 5 (Netty's MqttConnectReturnCode names).
        MqttConnectReturnCode connack = connackCode(error);
        if (connack == MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD) {
            return "The broker refused the username or password (CONNACK: bad user name or password)."
                    + " Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page.";
        }
        if (connack == MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED) {
            return clientIdRefusal(clientId);
        }
        if (connack == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED) {
            return "The broker refused the connection: not authorized (CONNACK)."
                    + " Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect.";
        }
        if (connack != null) {
            return "The broker refused the connection (CONNACK: " + connack + ")."
                    + " Check MQTT_CLIENT_ID (unset it to get a generated one) and the deployment's status in the console.";
        }
        if (mqttExceptionCode(error) == SUBSCRIPTION_REFUSED) {
            return "The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)."
                    + " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization"
                    + " page), and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per"
                    + " topic filter.";
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
        if (has(error, UnansweredConnect.class)) {
            // TLS completed, so the network is fine: pointing at it (the line below) would send the user astray.
            return "The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within"
                    + " 10 s. Usually the deployment is starting or overloaded: check its status in the console and"
                    + " try again in a minute. If it lasts, something between this machine and the deployment (a proxy"
                    + " or load balancer) may speak TLS but not MQTT: connect to the deployment's address and port"
                    + " 8883 directly.";
        }
        // Before ConnectException: Netty's connect timeout is a subclass of it.
        if (has(error, ConnectTimeoutException.class) || has(error, SslHandshakeTimeoutException.class)
                || has(error, SocketTimeoutException.class)) {
            return "The connection timed out."
                    + " Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy"
                    + " lets this machine reach them (try: nc -vz HOST 8883).";
        }
        if (has(error, ConnectException.class)) {
            return "Could not reach the server: connection refused."
                    + " Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084"
                    + " (MQTT over WebSocket with TLS); 1883 and 8083 are not offered.";
        }
        // "selected protocol version TLS11 is not accepted": the server offered only a TLS version the JDK refuses.
        if (messageContains(error, "protocol_version") || messageContains(error, "No appropriate protocol")
                || messageContains(error, "is not accepted by client preferences")) {
            return "The server and this client share no TLS version (the server offered only an old one, or"
                    + " refused the ones offered). Serverless speaks TLS 1.2 and 1.3: check that MQTT_HOST and"
                    + " MQTT_PORT are the deployment's, and that this JVM has not disabled TLS 1.2 and 1.3.";
        }
        // Netty reads the server's first bytes before the JDK does, and names what is not TLS NotSslRecordException.
        if (has(error, NotSslRecordException.class) || messageContains(error, "Unsupported or unrecognized SSL message")) {
            return "The server did not answer with TLS: MQTT_PORT is not a TLS port."
                    + " Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS).";
        }
        if (has(error, SSLHandshakeException.class) || has(error, EOFException.class)
                || (has(error, SSLException.class) && messageContains(error, "reset"))) {
            return "The server closed the connection during the TLS handshake."
                    + " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
                    + " that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883).";
        }
        if (has(error, TimeoutException.class)) {
            return "The broker did not answer within the time limit."
                    + " Check the deployment's status in the console and that the user's ACL allows it to"
                    + " subscribe to MQTT_TOPIC.";
        }
        return "Unexpected failure: " + rootCause(error) + "."
                + " Run again with MQTT_DEBUG=true for the stack trace, and include it in a support ticket"
                + " (with the deployment, client type and version, and your code without the password).";
    }

    /**
     * CONNACK return code 2, "identifier rejected". The usual cause is the length: Serverless takes up to 1024
     * characters, but an older limit of 23 for MQTT 3.x (the MQTT 3.1 maximum) is still met on some deployments.
     */
    private static String clientIdRefusal(String clientId) {
        String length = clientId == null ? "" : ", " + clientId.codePointCount(0, clientId.length()) + " characters";
        return "The broker rejected the client id (MQTT_CLIENT_ID" + length + "). Use a shorter one: Serverless"
                + " accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works everywhere.";
    }

    /** The CONNACK return code of a refused connection, or null. */
    private static MqttConnectReturnCode connackCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MqttConnectionException refused) {
                return refused.code();
            }
        }
        return null;
    }

    private static int mqttExceptionCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MqttException mqtt) {
                return mqtt.code();
            }
        }
        return -1;
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
