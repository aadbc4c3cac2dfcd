package serverless.doctor;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Steps 5 and 6 with Eclipse Paho's MQTT 5 client: CONNECT with the credentials over TLS and over WSS
 * (the CONNACK reason in words), then subscribe, publish at QoS 1 and wait for the message to come back. Which
 * client id each connection uses, and why: {@link ClientIds}.
 */
final class MqttChecks {

    private final Findings findings;

    MqttChecks(Findings findings) {
        this.findings = findings;
    }

    StepResult mqtt() throws GeneralSecurityException {
        Settings settings = findings.settings;
        SSLSocketFactory sockets = findings.trust.socketFactory();
        ClientIds ids = settings.clientIds();
        Map<String, String> uris = new LinkedHashMap<>();
        uris.put(ClientIds.TLS, settings.tlsUri());
        if (settings.checkWss()) {
            uris.put(ClientIds.WSS, settings.wssUri());
        }
        String who = settings.username().map(user -> "as " + user).orElse("without credentials");
        List<String> seen = new ArrayList<>();
        StepResult failure = null;
        for (Map.Entry<String, String> target : uris.entrySet()) {
            String transport = target.getKey();
            String uri = target.getValue();
            String as = uri + " as " + ClientIds.shown(ids.of(transport)) + ": ";
            Optional<StepResult> tooLong = ClientIdDiagnosis.tooLong(ids, transport);
            if (tooLong.isPresent()) {
                seen.add(as + "not connected, MQTT_CLIENT_ID is too long");
                failure = failure == null ? tooLong.get() : failure;
                continue; // the other connection, with the doctor's own id, still shows whether the credentials work
            }
            long start = System.nanoTime();
            try {
                MqttConnection connection = MqttConnection.open(uri, ids.of(transport), settings, sockets);
                findings.mqtt.put(transport, connection);
                seen.add(as + "CONNACK " + ReasonCodes.describe(0) + " (" + millisSince(start) + " ms)");
            } catch (MqttException e) {
                seen.add(as + brief(e));
                if (failure == null) {
                    failure = transport.equals(ClientIds.WSS) ? diagnoseWebSocket(settings, uri, e, sockets)
                            : diagnose(settings, uri, e);
                }
            }
        }
        if (failure != null) {
            return failure.withDetails(seen);
        }
        if (settings.username().isEmpty()) {
            return StepResult.warn(Step.MQTT, "the broker accepted a CONNECT without credentials (Serverless never does)",
                    "Serverless has no anonymous access: is MQTT_HOST really a Serverless deployment?").withDetails(seen);
        }
        return ClientIdDiagnosis.accepted(ids, "CONNACK " + ReasonCodes.describe(0) + " " + who + " over "
                + String.join(" and ", uris.values())).withDetails(seen);
    }

    StepResult roundTrip() throws MqttException, InterruptedException {
        Settings settings = findings.settings;
        String topic = settings.topic();
        List<MqttConnection> connections = List.copyOf(findings.mqtt.values());
        for (MqttConnection connection : connections) {
            int granted = connection.subscribe(topic);
            if (granted >= 0x80) {
                return StepResult.fail(Step.ROUND_TRIP, "the broker refused the subscription to " + topic + " over "
                                + connection.uri() + ": SUBACK " + ReasonCodes.describe(granted),
                        ReasonCodes.subackAdvice(topic),
                        "SUBACK " + ReasonCodes.describe(granted));
            }
        }
        MqttConnection publisher = connections.get(0);
        String payload = "serverless doctor " + settings.clientIds().doctorsPrefix();
        long start = System.nanoTime();
        int acknowledged = publisher.publish(topic, payload);
        if (acknowledged >= 0x80) {
            // Usually the ACL; 0x97 quota exceeded is a rate or another quota of the deployment.
            return StepResult.fail(Step.ROUND_TRIP, "the broker refused the QoS 1 publish to " + topic + ": PUBACK "
                            + ReasonCodes.describe(acknowledged), ReasonCodes.pubackAdvice(acknowledged, topic),
                    "PUBACK " + ReasonCodes.describe(acknowledged));
        }
        long deadline = start + MqttConnection.TIMEOUT.toNanos();
        List<String> arrivals = new ArrayList<>();
        for (MqttConnection connection : connections) {
            try {
                MqttConnection.Arrival arrival = connection.received()
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                arrivals.add(connection.uri() + " after " + TimeUnit.NANOSECONDS.toMillis(arrival.nanoTime() - start) + " ms");
            } catch (TimeoutException | ExecutionException e) {
                return notBack(topic, acknowledged, connection.uri());
            }
        }
        return StepResult.pass(Step.ROUND_TRIP, "published QoS 1 to " + topic + " over " + publisher.uri()
                + " (PUBACK " + ReasonCodes.describe(acknowledged) + "), received over " + String.join(" and over ", arrivals));
    }

    /**
     * The broker acknowledged the message but it did not come back over {@code uri}. Usually the ACL (allowed to
     * publish, not to subscribe, or the other way round). A deployment over its publish rate also drops messages,
     * and an MQTT 3.1.1 client is not even told: not the doctor's one message, but maybe the user's own clients.
     */
    static StepResult notBack(String topic, int acknowledged, String uri) {
        return StepResult.fail(Step.ROUND_TRIP, "the QoS 1 message to " + topic + " was acknowledged (PUBACK "
                        + ReasonCodes.describe(acknowledged) + ") but did not come back within "
                        + MqttConnection.TIMEOUT.toSeconds() + " s over " + uri,
                "The user's ACL must allow both publishing and subscribing to " + topic + ": check the"
                        + " deployment's Authorization page, or set MQTT_TOPIC to a topic the user may use. A deployment"
                        + " also drops messages over its publish rate (Serverless: 10 messages per second per client),"
                        + " without telling an MQTT 3.1.1 client: the doctor sent one, but keep your own clients at 10"
                        + " per second or below (the examples pace themselves with MQTT_PUBLISH_RATE).",
                "no message on " + topic + " within " + MqttConnection.TIMEOUT.toSeconds() + " s");
    }

    /** CONNECT over ssl:// failed: a CONNACK refusal in words, or what the transport did. */
    static StepResult diagnose(Settings settings, String uri, MqttException e) {
        int code = e.getReasonCode();
        if (ReasonCodes.fromServer(code)) {
            return connackRefusal(settings, ClientIds.TLS, uri, code, e);
        }
        if (code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
            return unanswered(uri, "TLS", "speaks TLS but not MQTT",
                    " Check also that MQTT_PORT is the port for MQTT over TLS (8883): 8084 is the WebSocket port, for"
                            + " wss://.", e);
        }
        if (code == MqttClientException.REASON_CODE_CONNECTION_LOST
                || Causes.has(e, EOFException.class) || Causes.has(e, SocketTimeoutException.class)) {
            return StepResult.fail(Step.MQTT, "no CONNACK over " + uri + ": the port accepted TLS, but closed the"
                            + " connection after the CONNECT",
                    "Check that MQTT_PORT is the port for MQTT over TLS (8883): 8084 is the WebSocket port, for wss://.",
                    Causes.exact(e));
        }
        return unexpected(uri, e);
    }

    /**
     * The server completed what {@code accepted} names (the tls step saw TLS complete moments before, and Paho's
     * timeout comes only after it sent the CONNECT), then never answered the CONNECT: not the network, which the
     * steps before passed, but a deployment that is starting or overloaded, or something in between that
     * {@code speaks} ("speaks TLS but not MQTT").
     */
    static StepResult unanswered(String uri, String accepted, String speaks, String portAdvice, MqttException e) {
        return StepResult.fail(Step.MQTT, "no CONNACK over " + uri + ": the server accepted " + accepted + " but never"
                        + " answered the MQTT CONNECT within " + MqttConnection.TIMEOUT.toSeconds() + " s",
                "Usually the deployment is starting or overloaded: check its status in the console and run the doctor"
                        + " again in a minute. If it lasts, something between this machine and the deployment (a proxy"
                        + " or load balancer) " + speaks + ": connect to the deployment's address directly." + portAdvice,
                Causes.exact(e));
    }

    /** CONNECT over wss:// failed: a CONNACK refusal, or the WebSocket upgrade (the path) in words. */
    private static StepResult diagnoseWebSocket(Settings settings, String uri, MqttException e, SSLSocketFactory sockets) {
        int code = e.getReasonCode();
        if (ReasonCodes.fromServer(code)) {
            return connackRefusal(settings, ClientIds.WSS, uri, code, e);
        }
        if (Causes.has(e, SSLException.class)) {
            return unexpected(uri, e);
        }
        // Paho reads the upgrade's HTTP status line but drops it: ask the port once more, to show it.
        Optional<String> status = WebSocketProbe.upgrade(settings.host(), settings.wsPort(), settings.wsPath(), sockets,
                !settings.hostIsIpAddress());
        if (status.filter(line -> line.contains(" 101")).isPresent()) {
            // The path is right. Paho's timeout comes after the upgrade: a CONNECT never answered.
            return code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT
                    ? unanswered(uri, "TLS and the WebSocket upgrade", "speaks TLS and WebSocket but not MQTT", "", e)
                    : unexpected(uri, e);
        }
        String error = Causes.exact(e) + status.map(line -> "; GET " + settings.wsPath() + " answered: " + line).orElse("");
        String got = "the WebSocket path " + settings.wsPath() + " got " + WebSocketProbe.inWords(status) + " over " + uri;
        if (!settings.wsPath().equals(Settings.DEFAULT_WS_PATH)) {
            return StepResult.fail(Step.MQTT, got + ": Serverless serves MQTT over WebSocket on /mqtt only",
                    "Set MQTT_WS_PATH=/mqtt (or unset it), with MQTT_WS_PORT=8084.", error);
        }
        // The path is right, so whatever answers on this port is not the deployment's WebSocket listener.
        return StepResult.fail(Step.MQTT, got + ": Serverless serves MQTT over WebSocket on /mqtt at port 8084, so this"
                        + " is another server (or something in between answered)",
                "Check MQTT_HOST, and set MQTT_WS_PORT=8084.", error);
    }

    private static StepResult connackRefusal(Settings settings, String transport, String uri, int code,
            MqttException e) {
        String error = "CONNACK reason code " + ReasonCodes.describe(code) + " (" + Causes.exact(e) + ")";
        if (code == ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID) {
            return ClientIdDiagnosis.refused(settings.clientIds(), transport, uri, error);
        }
        String who = settings.username().map(user -> "user " + user)
                .orElse("an anonymous CONNECT (MQTT_USERNAME is not set)");
        return StepResult.fail(Step.MQTT, "the broker refused " + who + " over " + uri + ": CONNACK "
                + ReasonCodes.describe(code), ReasonCodes.connackAdvice(code, settings.username().isPresent()), error);
    }

    private static StepResult unexpected(String uri, MqttException e) {
        return StepResult.fail(Step.MQTT, "the MQTT client could not connect over " + uri + ": " + brief(e),
                "Include the exact error below in a support ticket.", Causes.exact(e));
    }

    /** Paho's error in a few words: the reason code in words, or the root cause's message. */
    private static String brief(MqttException e) {
        if (ReasonCodes.fromServer(e.getReasonCode())) {
            return "CONNACK " + ReasonCodes.describe(e.getReasonCode());
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof IOException || root != e ? message : message + " (Paho code " + e.getReasonCode() + ")";
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
