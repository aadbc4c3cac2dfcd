package serverless.examples.paho;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting
 * order: address, port, TLS (trust, host name, SNI), credentials.
 *
 * <p>The TLS and socket causes are the JDK's own exceptions, found by walking the cause chain; only the
 * CONNACK codes are Paho's. Set MQTT_DEBUG=true to get the stack trace as well.
 */
final class Failures {

    /** Paho 3.1.1 CONNACK return codes (MqttException.getReasonCode). */
    private static final int V3_IDENTIFIER_REJECTED = 2;
    private static final int V3_BAD_USERNAME_OR_PASSWORD = 4;
    private static final int V3_NOT_AUTHORIZED = 5;
    /** MQTT 5 CONNACK reason codes 0x85 (client identifier not valid), 0x86 and 0x87. */
    private static final int V5_CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int V5_BAD_USERNAME_OR_PASSWORD = 0x86;
    private static final int V5_NOT_AUTHORIZED = 0x87;
    /** SUBACK return code 0x80 (MQTT 3.1.1 "failure"); Paho 3.1.1's REASON_CODE_SUBSCRIBE_FAILED has the same value. */
    static final int SUBSCRIPTION_REFUSED = 0x80;
    /** Paho's own "timed out waiting for a response from the server", in both clients. */
    private static final int PAHO_CLIENT_TIMEOUT = 32000;

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
        String line = describeConnectionFailure(error, settings);
        String host = settings == null ? null : settings.host();
        if (host != null && IP_ADDRESS.matcher(host).find()) {
            line += " MQTT_HOST " + host + " is an IP address: Serverless needs the deployment's domain name,"
                    + " which the client sends as SNI and checks against the certificate.";
        }
        return line;
    }

    /** Why a connection dropped, in a few words for the "Connection lost (...)" line. */
    static String reason(Throwable cause) {
        return has(cause, EOFException.class) ? "the server closed the connection" : rootCause(cause);
    }

    private static String describeConnectionFailure(Throwable error, ExampleSettings settings) {
        if (error instanceof RoundTrip.Stalled stalled) {
            // Over the publish rate, Serverless drops a message but still acknowledges it to an MQTT 3.1.1 client.
            String rate = !stalled.notBack ? "" : " Check also the publish rate: over 10 messages per second per"
                    + " client a Serverless deployment drops messages without telling an MQTT 3.1.1 client"
                    + " (MQTT_PUBLISH_RATE, default 10).";
            return error.getMessage() + "."
                    + " Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC, and, if the"
                    + " connection was lost, that the deployment is running (its status in the console)." + rate;
        }
        if (error instanceof RoundTrip.Refused refused) {
            return Refusals.publish(refused.message, refused.reasonCode);
        }
        if (error instanceof Refusals.SubscriptionRefused refused) {
            return Refusals.subscription(refused.suback);
        }
        int reasonCode = pahoReasonCode(error);
        if (reasonCode == V3_IDENTIFIER_REJECTED || reasonCode == V5_CLIENT_IDENTIFIER_NOT_VALID) {
            String clientId = settings == null ? "" : settings.clientId();
            return "The broker rejected the client id (MQTT_CLIENT_ID, " + clientId.codePointCount(0, clientId.length())
                    + " characters). Use a shorter one: Serverless accepts up to 1024 characters, some deployments"
                    + " only 23 for MQTT 3.x; 23 or fewer works everywhere.";
        }
        if (reasonCode == V3_BAD_USERNAME_OR_PASSWORD || reasonCode == V5_BAD_USERNAME_OR_PASSWORD) {
            return "The broker refused the username or password (CONNACK: bad user name or password)."
                    + " Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page.";
        }
        if (reasonCode == V3_NOT_AUTHORIZED || reasonCode == V5_NOT_AUTHORIZED) {
            return "The broker refused the connection: not authorized (CONNACK)."
                    + " Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect.";
        }
        if (has(error, org.eclipse.paho.client.mqttv3.MqttException.class) && reasonCode == SUBSCRIPTION_REFUSED) {
            return Refusals.subscription(Refusals.MQTT3_SUBACK_FAILURE);
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
        if (has(error, ConnectException.class)) {
            return "Could not reach the server: connection refused."
                    + " Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084"
                    + " (MQTT over WebSocket with TLS); 1883 and 8083 are not offered.";
        }
        if (error instanceof UnansweredConnect) {
            // TLS completed, so the network is fine: pointing at it (the line below) would send the user astray.
            return "The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within"
                    + " 10 s. Usually the deployment is starting or overloaded: check its status in the console and"
                    + " try again in a minute. If it lasts, something between this machine and the deployment (a proxy"
                    + " or load balancer) may speak TLS but not MQTT: connect to the deployment's address and port"
                    + " 8883 directly.";
        }
        if (has(error, SocketTimeoutException.class) || reasonCode == PAHO_CLIENT_TIMEOUT) {
            return "The connection timed out."
                    + " Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy"
                    + " lets this machine reach them (try: nc -vz HOST 8883).";
        }
        // A server that offers only TLS 1.0/1.1 ("... not accepted by client preferences"), one that refuses all
        // the versions offered (alert protocol_version), or a JVM that allows none ("No appropriate protocol").
        if (messageContains(error, "not accepted by client preferences")
                || messageContains(error, "protocol_version") || messageContains(error, "No appropriate protocol")) {
            return "The server and this client share no TLS version (the server offered only an old one, or"
                    + " refused the ones offered). Serverless speaks TLS 1.2 and 1.3: check that MQTT_HOST and"
                    + " MQTT_PORT are the deployment's, and that this JVM has not disabled TLS 1.2 and 1.3.";
        }
        if (messageContains(error, "Unsupported or unrecognized SSL message")) {
            return "The server did not answer with TLS: MQTT_PORT is not a TLS port."
                    + " Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS).";
        }
        if (has(error, SSLHandshakeException.class) || has(error, EOFException.class)
                || (has(error, SSLException.class) && messageContains(error, "reset"))) {
            return "The server closed the connection during the TLS handshake."
                    + " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
                    + " that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883).";
        }
        return "Unexpected failure: " + rootCause(error) + "."
                + " Run again with MQTT_DEBUG=true for the stack trace, and include it in a support ticket"
                + " (with the deployment, client type and version, and your code without the password).";
    }

    private static int pahoReasonCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.paho.client.mqttv3.MqttException v3) {
                return v3.getReasonCode();
            }
            if (t instanceof org.eclipse.paho.mqttv5.common.MqttException v5) {
                return v5.getReasonCode();
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
