package serverless.examples.vertx;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttException;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Vert.x MQTT client (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: connect, subscribe, publish one
 * message at QoS 1, wait for it to come back, disconnect.
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883),
 * MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID. See README.md.
 */
public final class VertxExample {

    private static final int TIMEOUT_SECONDS = 10;

    // Vert.x and Netty log through java.util.logging when neither SLF4J nor Log4j 2 is on the classpath.
    // Their messages (e.g. vertx-mqtt's "Can't connect to ..." at SEVERE) would only repeat the one-line
    // error this example prints, so they are turned off; MQTT_DEBUG=true prints the stack trace instead.
    // The loggers are held in fields because java.util.logging keeps them only weakly: a collected logger
    // would lose its level. In an application, configure your logging framework instead.
    private static final Logger VERTX_LOG = quiet("io.vertx");
    private static final Logger NETTY_LOG = quiet("io.netty");

    public static void main(String[] args) {
        // Resolve MQTT_HOST with the JVM's resolver (InetAddress, like every other Java client) instead of
        // Vert.x's own DNS client, which reads /etc/resolv.conf and /etc/hosts itself and so ignores the
        // JVM's name service settings (such as the hosts file the test harness gives the JVM).
        System.setProperty("vertx.disableDnsResolver", "true");
        ExampleSettings settings = null;
        try {
            settings = ExampleSettings.fromEnvironment("vertx-example");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings == null ? null : settings.host()));
        }
    }

    static void run(ExampleSettings settings) throws Exception {
        // 1. Address: Vert.x takes host and port apart; "ssl://" is only printed. Serverless has no plaintext port.
        System.out.println("Connecting to ssl://" + settings.host() + ":" + settings.port() + " as "
                + settings.username() + " (trust: " + settings.trustDescription() + ")");

        // [START tls_options]
        // 2. Client options: credentials (Serverless has no anonymous access) and TLS.
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(settings.clientId())
                .setUsername(settings.username())
                .setPassword(settings.password())
                .setSsl(true)
                // Checks that the certificate is for MQTT_HOST. Vert.x 5 refuses a TLS client without a
                // host name verification algorithm; "HTTPS" is the check browsers do. Never trust-all.
                .setHostnameVerificationAlgorithm("HTTPS");
        // Verifies the server's chain against MQTT_CA_FILE; with no trust options, Vert.x uses the JDK's
        // default trust store (see ServerTrust).
        ServerTrust.from(settings.caFile()).ifPresent(options::setTrustOptions);
        // [END tls_options]
        options.setCleanSession(true);

        // One Vert.x instance runs the client on its event loop. It is closed on every path, success or not:
        // its threads would otherwise keep the JVM running.
        Vertx vertx = Vertx.vertx();
        try (AutoCloseable closeVertx = () -> waitFor(vertx.close())) {
            MqttClient client = MqttClient.create(vertx, options);

            // vertx-mqtt completes subscribe() and publish() once the packet is written; the broker's answers
            // (SUBACK, PUBACK) and incoming messages arrive through handlers, which complete these promises.
            Promise<MqttSubAckMessage> subAck = Promise.promise();
            Promise<Integer> pubAck = Promise.promise();
            Promise<String> received = Promise.promise();
            client.subscribeCompletionHandler(subAck::tryComplete);
            client.publishCompletionHandler(pubAck::tryComplete);
            client.publishHandler(message -> received.tryComplete(message.payload().toString(UTF_8)));

            // [START connect]
            // 3. Connect. The third argument is the TLS server name: MQTT_HOST goes out as SNI, which
            //    Serverless requires to route the connection to the deployment.
            Future<MqttConnAckMessage> connected = client.connect(settings.port(), settings.host(), settings.host());
            // [END connect]

            String payload = "Hello from " + settings.clientId();
            Future<Void> roundTrip = connected
                    // One limit for TCP connect, TLS handshake and CONNACK together (vertx-mqtt waits for the
                    // CONNACK without one). Reported as a connect timeout, not as a lost message.
                    .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .recover(error -> Future.failedFuture(error instanceof TimeoutException
                            ? new SocketTimeoutException("not connected within " + TIMEOUT_SECONDS + " s") : error))
                    .compose(connAck -> {
                        System.out.println("Connected with client id " + settings.clientId());
                        // 4. Subscribe first, so our own message comes back to us; wait for the SUBACK.
                        return client.subscribe(settings.topic(), 1)
                                .compose(packetId -> subAck.future())
                                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    })
                    .compose(subAckMessage -> {
                        // A SUBACK return code of 0x80 is a refusal (usually the ACL).
                        if (subAckMessage.grantedQoSLevels().get(0) >= Failures.SUBSCRIPTION_REFUSED) {
                            return Future.failedFuture(new MqttException(Failures.SUBSCRIPTION_REFUSED, "SUBACK 0x80"));
                        }
                        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");
                        // 5. Publish at QoS 1 and wait for the broker's acknowledgement (PUBACK).
                        return client.publish(settings.topic(), Buffer.buffer(payload, "UTF-8"), MqttQoS.AT_LEAST_ONCE, false, false)
                                .compose(packetId -> pubAck.future())
                                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    })
                    .compose(packetId -> {
                        System.out.println("Published \"" + payload + "\" to " + settings.topic() + " at QoS 1");
                        // 6. Wait, with a bound, for the message to arrive through the subscription.
                        return received.future().timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    })
                    .compose(message -> {
                        System.out.println("Received \"" + message + "\" on " + settings.topic());
                        // 7. DISCONNECT; the future completes once the connection is closed.
                        return client.disconnect();
                    });

            // Everything above runs on Vert.x's event loop; main's only job is to wait for the outcome, once.
            // Each step has its own limit, so this wait is a backstop. A failure comes out as an
            // ExecutionException whose cause chain Failures reads.
            waitFor(roundTrip);
            System.out.println("Disconnected");
        }
    }

    /** Blocks the calling (non-Vert.x) thread until the future completes, at most a bounded time. */
    private static <T> T waitFor(Future<T> future) throws Exception {
        // Not Future.await(): it rethrows vertx-mqtt's exceptions, which extend Throwable, not Exception.
        return future.toCompletionStage().toCompletableFuture().get(4 * TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }
}
