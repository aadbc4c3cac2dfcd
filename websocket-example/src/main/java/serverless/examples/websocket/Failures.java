package serverless.examples.websocket;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.websocket.WebSocketHandshake;

/**
 * Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting
 * order: address, port, TLS (trust, host name, SNI), WebSocket path, credentials.
 *
 * <p>The TLS and socket causes are the JDK's own exceptions, found by walking the cause chain (and the
 * suppressed exceptions: when the server closes the TLS handshake, Netty throws ClosedChannelException and
 * puts the SSLHandshakeException beside it); the CONNACK codes and the WebSocket upgrade failures are the
 * clients' own. Set MQTT_DEBUG=true to get the stack trace
 * as well.
 */
final class Failures {

    /** Paho 3.1.1 CONNACK return codes (MqttException.getReasonCode). */
    private static final int V3_IDENTIFIER_REJECTED = 2;
    private static final int V3_BAD_USERNAME_OR_PASSWORD = 4;
    private static final int V3_NOT_AUTHORIZED = 5;
    /** MQTT 5 CONNACK reason codes 0x85 (client identifier not valid), 0x86, 0x87 (Mqtt5ConnAckException). */
    private static final int V5_CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int V5_BAD_USERNAME_OR_PASSWORD = 0x86;
    private static final int V5_NOT_AUTHORIZED = 0x87;
    /** SUBACK return code 0x80 (MQTT 3.1.1 "failure"); PahoWebSocketExample throws it as REASON_CODE_SUBSCRIBE_FAILED. */
    static final int SUBSCRIPTION_REFUSED = 0x80;
    /** Paho's own "timed out waiting for a response from the server". */
    private static final int PAHO_CLIENT_TIMEOUT = 32000;
    /**
     * Paho's WebSocket upgrade failures are IOExceptions whose message starts with this: a status other
     * than 101 (EMQX answers 404 on a wrong path), or a server that closed the connection instead.
     */
    private static final String PAHO_UPGRADE_REFUSED = "WebSocket Response header";

    private static final int HTTP_NOT_FOUND = 404;
    /** The HiveMQ client's own CONNACK timeout, which starts once TLS and the WebSocket upgrade are done. */
    private static final String HIVEMQ_CONNACK_TIMEOUT = "Timeout while waiting for CONNACK";

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

    /**
     * Why a connection dropped, in a few words for the "Connection lost (...)" line, with the reason code when
     * an MQTT 5 broker said why (e.g. SERVER_SHUTTING_DOWN, SESSION_TAKEN_OVER).
     */
    static String reason(Throwable cause) {
        String root = rootCause(cause);
        String reason = cause.getCause() == null || cause.getMessage() == null ? root : cause.getMessage() + ": " + root;
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            reason += " " + disconnect.getMqttMessage().getReasonCode();
        }
        return reason;
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
        Mqtt5PubAckException pubAck = find(error, Mqtt5PubAckException.class);
        if (error instanceof RoundTrip.NotPublished notPublished && pubAck != null) {
            return Refusals.publish(notPublished.message, pubAck.getMqttMessage().getReasonCode().getCode());
        }
        int reasonCode = reasonCode(error);
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
        Mqtt5SubAckException subAck = find(error, Mqtt5SubAckException.class);
        if (subAck != null) {
            int refusal = subAck.getMqttMessage().getReasonCodes().stream().filter(Mqtt5SubAckReasonCode::isError)
                    .findFirst().map(Mqtt5SubAckReasonCode::getCode).orElse(Refusals.UNSPECIFIED_ERROR);
            return Refusals.subscription(Refusals.named(refusal));
        }
        if (has(error, MqttException.class) && reasonCode == SUBSCRIPTION_REFUSED) {
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
        if (settings != null && isWebSocketUpgradeFailure(error)) {
            // TLS worked; the HTTP upgrade to WebSocket did not. EMQX answers a wrong path with HTTP 404, other
            // servers do not answer at all: either way it is the path (or a port that is not WebSocket).
            OptionalInt status = upgradeStatus(error, settings);
            if (status.isEmpty() || status.getAsInt() != UpgradeStatus.SWITCHING_PROTOCOLS) {
                return webSocketPathProblem(status, settings);
            }
            // 101: the upgrade itself worked, so it is not the path; the checks below find what it was.
        }
        if (has(error, UnknownHostException.class)) {
            return "The host name in MQTT_HOST could not be resolved."
                    + " Check its spelling against the console and that this machine's DNS works.";
        }
        if (has(error, UnansweredConnect.class) || messageContains(error, HIVEMQ_CONNACK_TIMEOUT)) {
            // TLS and the upgrade completed, so the network is fine: pointing at it (below) would send the user astray.
            return "The server accepted the connection (TLS and the WebSocket upgrade completed) but never answered"
                    + " the MQTT CONNECT within 10 s. Usually the deployment is starting or overloaded: check its status"
                    + " in the console and try again in a minute. If it lasts, something between this machine and the"
                    + " deployment (a proxy or load balancer) may speak TLS and WebSocket but not MQTT: connect to the"
                    + " deployment's address and port 8084 directly.";
        }
        if (isTcpConnectTimeout(error)) {
            return "The connection timed out before the server answered."
                    + " Check that MQTT_HOST and MQTT_PORT (8084) are right and that a firewall or proxy lets this"
                    + " machine reach port 8084, which networks that only open 443 block (try: nc -vz HOST 8084).";
        }
        if (has(error, ConnectException.class)) {
            return "Could not reach the server: connection refused."
                    + " Check MQTT_HOST and MQTT_PORT: Serverless offers 8084 (MQTT over WebSocket with TLS) and"
                    + " 8883 (MQTT over TLS); 8083 (plain WebSocket) and 1883 are not offered.";
        }
        if (has(error, SocketTimeoutException.class) || has(error, SslHandshakeTimeoutException.class)) {
            // Connected, but the TLS handshake got no answer (the WebSocket upgrade's timeout is handled above).
            return "The connection timed out in the TLS handshake: the server did not answer."
                    + " Check that MQTT_PORT is a TLS port (8084 for WebSocket, 8883 for MQTT over TLS)"
                    + " and that no proxy or firewall holds the connection.";
        }
        if (reasonCode == PAHO_CLIENT_TIMEOUT) {
            // Paho's own bound on connect(), TLS not completed. A TLS port that does not answer ends here too: Paho
            // 1.2.5's wss:// module, closing after a failed TLS handshake, retries the handshake, so its cause comes
            // too late.
            return "The connection timed out: the server did not answer in time."
                    + " Check MQTT_HOST, that MQTT_PORT is 8084 (the TLS port for WebSocket), and that a firewall"
                    + " or proxy lets this machine reach it (try: nc -vz HOST 8084).";
        }
        if (messageContains(error, "protocol_version") || messageContains(error, "No appropriate protocol")
                || messageContains(error, "not accepted by client preferences")) {
            return "The server and this client share no TLS version."
                    + " Serverless speaks TLS 1.2 and 1.3; check that this JVM has not disabled them.";
        }
        if (messageContains(error, "Unsupported or unrecognized SSL message")
                || has(error, NotSslRecordException.class)) {
            return "The server did not answer with TLS: MQTT_PORT is not a TLS port."
                    + " Serverless offers 8084 (MQTT over WebSocket with TLS) and 8883 (MQTT over TLS).";
        }
        if (has(error, SSLHandshakeException.class) || has(error, EOFException.class)
                || ((has(error, SSLException.class) || has(error, SocketException.class))
                        && messageContains(error, "reset"))) {
            return "The server closed the connection during the TLS handshake."
                    + " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
                    + " that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8084).";
        }
        if (has(error, TimeoutException.class)) {
            // A bounded wait for the SUBACK or the final DISCONNECT (the round trip has its own error).
            return "The broker did not answer in time."
                    + " Check the network, and that the user's ACL allows it to subscribe to MQTT_TOPIC.";
        }
        return "Unexpected failure: " + rootCause(error) + "."
                + " Run again with MQTT_DEBUG=true for the stack trace, and include it in a support ticket"
                + " (with the deployment, client type and version, and your code without the password).";
    }

    /**
     * The WebSocket upgrade failed after TLS succeeded. HiveMQ client (Netty): WebSocketHandshakeException,
     * for an HTTP status other than 101, a server that closed, or no answer within the handshake timeout.
     * Paho: an IOException "WebSocket Response header: ..." for an answer other than 101, or a
     * SocketTimeoutException ("Read timed out", after Paho's 1 s read timeout) thrown while reading the
     * upgrade's answer: a server that does not answer the upgrade, which is a path problem, not a network one.
     */
    private static boolean isWebSocketUpgradeFailure(Throwable error) {
        if (has(error, WebSocketHandshakeException.class) || messageContains(error, PAHO_UPGRADE_REFUSED)) {
            return true;
        }
        return causes(error).stream().anyMatch(t -> t instanceof SocketTimeoutException
                && Arrays.stream(t.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals(WebSocketHandshake.class.getName())));
    }

    /**
     * The HTTP status that refused the upgrade, if the server answered. The HiveMQ client (Netty) keeps the
     * response in its WebSocketClientHandshakeException ("Invalid handshake response getStatus: 404 Not
     * Found"). Paho drops it, so for Paho the server is asked again ({@link UpgradeStatus}).
     */
    private static OptionalInt upgradeStatus(Throwable error, ExampleSettings settings) {
        for (Throwable t : causes(error)) {
            if (t instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
                return OptionalInt.of(refused.response().status().code());
            }
        }
        return messageContains(error, PAHO_UPGRADE_REFUSED) ? UpgradeStatus.ask(settings) : OptionalInt.empty();
    }

    /** The WebSocket path line: the path, the server's HTTP status (or that it did not answer), what to set. */
    private static String webSocketPathProblem(OptionalInt status, ExampleSettings settings) {
        String answer = status.isEmpty() ? "got no answer to the WebSocket upgrade"
                : "got HTTP " + status.getAsInt() + (status.getAsInt() == HTTP_NOT_FOUND ? " (Not Found)" : "");
        if (!settings.webSocketPath().equals(ExampleSettings.DEFAULT_WS_PATH)) {
            return "The WebSocket path " + settings.webSocketPath() + " " + answer + ": Serverless serves MQTT over"
                    + " WebSocket on /mqtt only. Set MQTT_WS_PATH=/mqtt (or unset it), with MQTT_PORT=8084.";
        }
        // The path is right, so the server on this port is not the deployment's WebSocket listener.
        return "The WebSocket path /mqtt " + answer + " on port " + settings.port() + ": Serverless serves MQTT over"
                + " WebSocket on /mqtt at port 8084, so this is another server (or something in between answered)."
                + " Check MQTT_HOST, and set MQTT_PORT=8084.";
    }


    /** No TCP connection within the bound: the JDK's "Connect timed out", Netty's ConnectTimeoutException. */
    private static boolean isTcpConnectTimeout(Throwable error) {
        return has(error, ConnectTimeoutException.class) || messageContains(error, "Connect timed out");
    }

    /** The CONNACK or SUBACK code: Paho's MqttException reason code, or the HiveMQ client's CONNACK code. */
    private static int reasonCode(Throwable error) {
        for (Throwable t : causes(error)) {
            if (t instanceof MqttException paho) {
                return paho.getReasonCode();
            }
            if (t instanceof Mqtt5ConnAckException hivemq) {
                return hivemq.getMqttMessage().getReasonCode().getCode();
            }
        }
        return -1;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        return find(error, type) != null;
    }

    /**
     * The first of the error's causes of {@code type}, or null: the HiveMQ client's PUBACK or SUBACK refusal
     * (Mqtt5PubAckException: the publish future failed with it; Mqtt5SubAckException: the subscribe future).
     */
    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        return causes(error).stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    private static boolean messageContains(Throwable error, String text) {
        return causes(error).stream().anyMatch(t -> t.getMessage() != null && t.getMessage().contains(text));
    }

    /** The error, its causes, and the exceptions suppressed by any of them, each once. */
    private static List<Throwable> causes(Throwable error) {
        List<Throwable> causes = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>(List.of(error));
        while (!next.isEmpty()) {
            Throwable t = next.removeFirst();
            if (seen.add(t)) {
                causes.add(t);
                if (t.getCause() != null) {
                    next.addLast(t.getCause());
                }
                next.addAll(Arrays.asList(t.getSuppressed()));
            }
        }
        return causes;
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
