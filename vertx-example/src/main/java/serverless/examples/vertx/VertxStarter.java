package serverless.examples.vertx;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Vert.x MQTT client (MQTT 3.1.1) to EMQX Cloud Serverless over TLS, in one file to copy whole: connect,
 * subscribe, publish one QoS 1 message, receive it back, disconnect.
 *
 * <p>Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the
 * console's emqxsl-ca.crt; without it the JDK's trust store, which already trusts Serverless' DigiCert root).
 */
public final class VertxStarter {

    // Vert.x logs through java.util.logging (e.g. "SEVERE: Can't connect to ..." and a stack trace), which would
    // only repeat the ERROR line: off. Held in a field, as java.util.logging keeps loggers only weakly. An
    // application configures its logging instead.
    private static final Logger VERTX_LOG = Logger.getLogger("io.vertx");

    public static void main(String[] args) {
        VERTX_LOG.setLevel(Level.OFF);
        // MQTT_HOST resolved by the JVM, like every other Java client, not by Vert.x's own DNS client (which reads
        // /etc/hosts and /etc/resolv.conf itself and so ignores the JVM's name service settings).
        System.setProperty("vertx.disableDnsResolver", "true");
        try {
            run();
        } catch (Exception e) {
            // One line with the library's own words; the stack trace only when asked for.
            System.err.println("ERROR: " + oneLine(e));
            if ("true".equals(System.getenv("MQTT_DEBUG"))) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    static void run() throws Exception {
        String host = required("MQTT_HOST");
        int port = Integer.parseInt(variable("MQTT_PORT", "8883"));
        String username = required("MQTT_USERNAME");
        String caFile = variable("MQTT_CA_FILE", null);
        String clientId = "vertx-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/" + clientId;

        // Vert.x takes host and port apart; "ssl://" is only printed.
        System.out.println("Connecting to ssl://" + host + ":" + port + " as " + username + " (trust: "
                + (caFile == null ? "JDK default trust store" : "MQTT_CA_FILE " + caFile) + ")");
        MqttClientOptions options = new MqttClientOptions().setClientId(clientId)
                .setUsername(username).setPassword(required("MQTT_PASSWORD")) // Serverless has no anonymous access
                // MQTT over TLS (Serverless offers no plaintext port). The certificate must be for MQTT_HOST:
                // "HTTPS" is the check browsers do, switched on here (Vert.x 5 refuses TLS until one is chosen).
                .setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                // Only the certificates in MQTT_CA_FILE (emqxsl-ca.crt holds a chain); without it (null) the JDK's
                // default trust store.
                .setTrustOptions(caFile == null ? null
                        : new PemTrustOptions().addCertValue(Buffer.buffer(Files.readAllBytes(Path.of(caFile)))));

        Promise<MqttSubAckMessage> suback = Promise.promise();
        Promise<Integer> puback = Promise.promise();
        Promise<String> received = Promise.promise();
        Vertx vertx = Vertx.vertx();
        // Vert.x is closed on every path, success or not: its threads would otherwise keep the JVM running.
        try (AutoCloseable closing = () -> await(vertx.close(), "Vert.x not closed within 10 s")) {
            MqttClient client = MqttClient.create(vertx, options)
                    .subscribeCompletionHandler(suback::tryComplete)
                    .publishCompletionHandler(puback::tryComplete)
                    .publishHandler(message -> received.tryComplete(message.payload().toString(UTF_8)));
            // The third argument is the TLS server name: MQTT_HOST goes out as SNI. Serverless serves many
            // deployments on one address and refuses a handshake without it. That is why MQTT_HOST is the
            // console's domain name, never an IP address. Each step waits 10 s at most; this one covers the
            // TCP connect, the TLS handshake and the CONNACK.
            await(client.connect(port, host, host), "not connected within 10 s");
            System.out.println("Connected with client id " + clientId);

            // Subscribe before publishing, so that our own message comes back to us.
            MqttSubAckMessage subAck = await(client.subscribe(topic, 1).compose(id -> suback.future()), "no SUBACK within 10 s");
            if (subAck.grantedQoSLevels().get(0) == 0x80) {
                throw new IllegalStateException("the broker refused the subscription (SUBACK 0x80)");
            }
            System.out.println("Subscribed to " + topic + " at QoS 1");

            // The broker's PUBACK completes it. MQTT 3.1.1 has no error code there: what the broker drops (over
            // Serverless' rate, say) is acknowledged all the same, and only missed when it does not come back.
            await(client.publish(topic, Buffer.buffer("Hello from " + clientId + " #1", "UTF-8"), MqttQoS.AT_LEAST_ONCE,
                    false, false).compose(id -> puback.future()), "no PUBACK within 10 s");
            System.out.println("Published 1/1 messages to " + topic + " at QoS 1");

            await(received.future(), "the message did not come back within 10 s");
            System.out.println("Received 1/1 messages on " + topic + " (0 duplicates)");
            await(client.disconnect(), "not disconnected within 10 s");
            System.out.println("Disconnected");
        }
    }

    /** Waits 10 s at most; a failure comes out as an ExecutionException around the library's own exception. */
    static <T> T await(Future<T> future, String timeoutMessage) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(timeoutMessage);
        }
    }

    static String required(String name) {
        return Optional.ofNullable(variable(name, null))
                .orElseThrow(() -> new IllegalArgumentException(name + " is not set: see README.md for what to export"));
    }

    /** An environment variable, or the fallback when it is not set or empty. */
    static String variable(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The messages of the exception and its causes (a TLS failure's own words are in a cause), not the wrapper's. */
    static String oneLine(Throwable e) {
        String line = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t instanceof ExecutionException ? null : t.getMessage();
            if (message != null && !message.equals(t.getClass().getSimpleName()) && !line.contains(message)) {
                line += (line.isEmpty() ? "" : ": ") + message;
            }
        }
        return (line.isEmpty() ? e.toString() : line).replaceAll("\\s+", " ");
    }
}

// What VertxExample, in this folder, adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect with back-off, nothing lost;
// - more than 10 messages a second: Serverless drops the excess of an MQTT 3.1.1 client unseen, so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
