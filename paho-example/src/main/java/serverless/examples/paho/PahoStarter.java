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
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho (MQTT 3.1.1) to EMQX Cloud Serverless over TLS, in one file to copy whole: connect, subscribe,
 * publish one QoS 1 message, receive it back, disconnect.
 *
 * <p>Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the
 * console's emqxsl-ca.crt; without it the JDK's trust store, which already trusts Serverless' DigiCert root).
 */
public final class PahoStarter {

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
        String username = required("MQTT_USERNAME");
        String caFile = variable("MQTT_CA_FILE", null);
        String clientId = "paho-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "serverless-examples/" + clientId;

        // "ssl://": MQTT over TLS. Serverless offers no plaintext port.
        String serverUri = "ssl://" + required("MQTT_HOST") + ":" + variable("MQTT_PORT", "8883");
        System.out.println("Connecting to " + serverUri + " as " + username + " (trust: "
                + (caFile == null ? "JDK default trust store" : "MQTT_CA_FILE " + caFile) + ")");
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username); // Serverless has no anonymous access
        options.setPassword(required("MQTT_PASSWORD").toCharArray());
        options.setSocketFactory(trusting(caFile).getSocketFactory());
        // The certificate must be for MQTT_HOST. Paho opens TLS with MQTT_HOST as the peer's name, so the JDK
        // also sends it as SNI: Serverless serves many deployments on one address and refuses a handshake
        // without it. That is why MQTT_HOST is the console's domain name, never an IP address.
        options.setHttpsHostnameVerificationEnabled(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no silent retry as MQTT 3.1
        options.setConnectionTimeout(10);

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence())) {
            client.setTimeToWait(10_000); // every blocking call below waits 10 s at most
            client.connect(options);
            System.out.println("Connected with client id " + clientId);

            // Subscribe before publishing, so that our own message comes back to us.
            client.subscribe(topic, 1, (t, message) -> received.add(new String(message.getPayload(), UTF_8)));
            System.out.println("Subscribed to " + topic + " at QoS 1");

            String payload = "Hello from " + clientId + " #1";
            client.publish(topic, payload.getBytes(UTF_8), 1, false); // returns once the broker's PUBACK is in
            System.out.println("Published 1/1 messages to " + topic + " at QoS 1");

            if (!payload.equals(received.poll(10, TimeUnit.SECONDS))) {
                throw new IllegalStateException("the message did not come back within 10 s");
            }
            System.out.println("Received 1/1 messages on " + topic + " (0 duplicates)");
            client.disconnect();
            System.out.println("Disconnected");
        }
    }

    /** The JDK's trust store, or only the certificates in the PEM file (emqxsl-ca.crt holds a chain). */
    static SSLContext trusting(String caFile) throws Exception {
        if (caFile == null) {
            return SSLContext.getDefault();
        }
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

    /** The messages of the exception and its causes: "MqttException" alone does not say that the handshake failed. */
    static String oneLine(Throwable e) {
        String line = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(t.getClass().getSimpleName()) && !line.contains(message)) {
                line += (line.isEmpty() ? "" : ": ") + message;
            }
        }
        return (line.isEmpty() ? e.toString() : line).replaceAll("\\s+", " ");
    }
}

// What PahoExample, in this folder, adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect with back-off, nothing lost;
// - more than 10 messages a second: Serverless drops the excess of an MQTT 3.1.1 client unseen, so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
