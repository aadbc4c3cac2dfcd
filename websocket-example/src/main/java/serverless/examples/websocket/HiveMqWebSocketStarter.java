package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManagerFactory;

/**
 * HiveMQ MQTT Client (MQTT 5) to EMQX Cloud Serverless over secure WebSocket (wss://), in one file to copy whole:
 * connect, subscribe, publish one QoS 1 message, receive it back, disconnect.
 *
 * <p>Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8084) and MQTT_CA_FILE (the
 * console's emqxsl-ca.crt; without it the JDK's trust store, which already trusts Serverless' DigiCert root).
 *
 * <p>Besides hivemq-mqtt-client it needs io.netty:netty-codec-http at the client's Netty version (see this folder's
 * pom.xml): the client's WebSocket transport, an optional dependency, without which the connect never completes.
 */
public final class HiveMqWebSocketStarter {

    public static void main(String[] args) {
        // Netty 4.1, the client's network layer, uses sun.misc.Unsafe, for which Java 24+ prints four WARNING
        // lines (JEP 498). Netty's own switch keeps it off Unsafe; it must be set before any Netty class loads.
        if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        try {
            run();
        } catch (Exception e) {
            // One line with the library's own words; the stack trace only when asked for.
            System.err.println("ERROR: " + oneLine(e));
            if ("true".equals(System.getenv("MQTT_DEBUG"))) {
                e.printStackTrace();
            }
            System.exit(1); // also ends the client's Netty threads
        }
    }

    static void run() throws Exception {
        String host = required("MQTT_HOST");
        int port = Integer.parseInt(variable("MQTT_PORT", "8084"));
        String username = required("MQTT_USERNAME");
        String caFile = variable("MQTT_CA_FILE", null);
        String clientId = "hivemq-ws-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/" + clientId;

        System.out.println("Connecting to wss://" + host + ":" + port + "/mqtt as " + username + " (trust: "
                + (caFile == null ? "JDK default trust store" : "MQTT_CA_FILE " + caFile) + ")");
        // The port always: the client's own default changes with the other transport settings.
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(clientId).serverHost(host).serverPort(port)
                // MQTT over WebSocket with TLS (Serverless offers no plaintext WebSocket), trusting MQTT_CA_FILE, or
                // without it (null) the JDK's default trust store.
                // The certificate must be for MQTT_HOST: hostnameVerifier(null) is the client's switch for the JDK's
                // own check (endpoint identification "HTTPS", in the handshake); a verifier set here would replace it.
                // The client opens TLS with MQTT_HOST as the peer's name, so the JDK also sends it as SNI:
                // Serverless serves many deployments on one address and refuses a handshake without it.
                // That is why MQTT_HOST is the console's domain name, never an IP address.
                .sslConfig().trustManagerFactory(caFile == null ? null : trusting(caFile)).hostnameVerifier(null).applySslConfig()
                // Serverless' WebSocket path, /mqtt (the client adds the "/"). The client's default is no path at
                // all, which Serverless answers with HTTP 404.
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                // Serverless has no anonymous access.
                .simpleAuth().username(username).password(required("MQTT_PASSWORD").getBytes(UTF_8)).applySimpleAuth()
                .buildAsync();

        // Each step waits 10 s at most; this one covers the TCP connect, the TLS and WebSocket handshakes and the
        // CONNACK.
        await(client.connect(), "not connected within 10 s");
        System.out.println("Connected with client id " + clientId);

        // Subscribe before publishing, so that our own message comes back to us.
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        await(client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .callback(message -> received.complete(message.getPayloadAsBytes())).send(), "no SUBACK within 10 s");
        System.out.println("Subscribed to " + topic + " at QoS 1");

        // Completes with the broker's PUBACK; a PUBACK error code (0x97: over Serverless' rate) fails it.
        await(client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(("Hello from " + clientId + " #1").getBytes(UTF_8)).send(), "no PUBACK within 10 s");
        System.out.println("Published 1/1 messages to " + topic + " at QoS 1");

        await(received, "the message did not come back within 10 s");
        System.out.println("Received 1/1 messages on " + topic + " (0 duplicates)");
        await(client.disconnect(), "not disconnected within 10 s"); // also releases the Netty threads
        System.out.println("Disconnected");
    }

    /** Waits 10 s at most; a failure comes out as an ExecutionException around the library's own exception. */
    static <T> T await(CompletableFuture<T> future, String timeoutMessage) throws Exception {
        try {
            return future.get(10, SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(timeoutMessage);
        }
    }

    /** Only the certificates in the PEM file (emqxsl-ca.crt holds a chain). */
    static TrustManagerFactory trusting(String caFile) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        byte[] pem = Files.readAllBytes(Path.of(caFile));
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            trustStore.setCertificateEntry("ca-" + trustStore.size(), ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        return trust;
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

// What HiveMqWebSocketExample, in this folder, adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, automatic reconnect, nothing lost;
// - more than 10 messages a second: Serverless refuses the excess (PUBACK 0x97), so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
