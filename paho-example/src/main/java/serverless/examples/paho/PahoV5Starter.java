package serverless.examples.paho;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Eclipse Paho (MQTT 5) to EMQX Cloud Serverless over TLS, in one file to copy whole: connect, subscribe,
 * publish one QoS 1 message, receive it back, disconnect.
 *
 * <p>Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the
 * console's emqxsl-ca.crt; without it the JDK's trust store, which already trusts Serverless' DigiCert root).
 */
public final class PahoV5Starter {

    public static void main(String[] args) {
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
        String caFile = variable("MQTT_CA_FILE", null);
        String clientId = "paho5-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/" + clientId;

        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(required("MQTT_USERNAME")); // Serverless has no anonymous access
        options.setPassword(required("MQTT_PASSWORD").getBytes(UTF_8));
        // The JDK's trust store, which holds Serverless' DigiCert root, or only the certificates in MQTT_CA_FILE.
        options.setSocketFactory((caFile == null ? SSLContext.getDefault() : trustingOnly(caFile)).getSocketFactory());
        // The certificate must be for MQTT_HOST. Paho opens TLS with MQTT_HOST as the peer's name, so the JDK
        // also sends it as SNI: Serverless serves many deployments on one address and refuses a handshake
        // without it. That is why MQTT_HOST is the console's domain name, never an IP address.
        options.setHttpsHostnameVerificationEnabled(true);

        // "ssl://": MQTT over TLS. Serverless offers no plaintext port.
        String serverUri = "ssl://" + required("MQTT_HOST") + ":" + variable("MQTT_PORT", "8883");
        System.out.println("Connecting to " + serverUri + " as " + options.getUserName() + " (trust: "
                + (caFile == null ? "JDK default trust store" : "MQTT_CA_FILE " + caFile) + ")");

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        client.connect(options).waitForCompletion(10_000); // TCP, TLS and the CONNACK: 10 s at most, as every wait here
        System.out.println("Connected with client id " + clientId);

        // Subscribe before publishing, so that our own message comes back to us. (This overload matches messages
        // to the listener by topic; Paho 1.2.5's single-subscription ones depend on MQTT 5 subscription ids.)
        awaitAccepted(client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)}, null, null,
                new IMqttMessageListener[] {(t, message) -> received.add(new String(message.getPayload(), UTF_8))},
                new MqttProperties()), "SUBACK");
        System.out.println("Subscribed to " + topic + " at QoS 1");

        String payload = "Hello from " + clientId + " #1";
        awaitAccepted(client.publish(topic, payload.getBytes(UTF_8), 1, false), "PUBACK"); // e.g. 0x97, quota exceeded
        System.out.println("Published 1/1 messages to " + topic + " at QoS 1");

        if (!payload.equals(received.poll(10, TimeUnit.SECONDS))) {
            throw new IllegalStateException("the message did not come back within 10 s");
        }
        System.out.println("Received 1/1 messages on " + topic + " (0 duplicates)");
        client.disconnect().waitForCompletion(10_000);
        client.close();
        System.out.println("Disconnected");
    }

    /**
     * Waits 10 s at most for the broker's answer. MQTT 5 answers with a reason code, and Paho does not throw for a
     * refusal (0x80 and above, e.g. 0x87 not authorized, or 0x97 quota exceeded over 10 messages a second).
     */
    static void awaitAccepted(IMqttToken token, String packet) throws Exception {
        token.waitForCompletion(10_000);
        if (token.getReasonCodes()[0] >= 0x80) {
            throw new IllegalStateException(String.format("the broker refused: %s 0x%02X", packet, token.getReasonCodes()[0]));
        }
    }

    /** A TLS context that trusts the certificates in the PEM file, and only them (emqxsl-ca.crt holds a chain). */
    static SSLContext trustingOnly(String caFile) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        byte[] pem = Files.readAllBytes(Path.of(caFile));
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            trustStore.setCertificateEntry("ca-" + trustStore.size(), ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS"); // TLS 1.3 or 1.2, whichever both sides offer
        context.init(null, trust.getTrustManagers(), null);
        return context;
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

    /** The messages of the exception and its causes: "Untranslated MqttException" alone does not say what failed. */
    static String oneLine(Throwable e) {
        String line = String.valueOf(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            line += cause.getMessage() == null || line.contains(cause.getMessage()) ? "" : ": " + cause.getMessage();
        }
        return line.replaceAll("\\s+", " ");
    }
}

// What PahoV5Example, in this folder, adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect with back-off, nothing lost;
// - more than 10 messages a second: Serverless refuses the excess (PUBACK 0x97), so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
