package serverless.examples.vertx;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClientOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Vert.x MQTT client (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: connect, subscribe, publish
 * MQTT_MESSAGES messages at QoS 1, wait for every one to come back, disconnect; and, since Vert.x MQTT does
 * not do it by itself, reconnect and carry on when the connection drops in the middle (ReconnectingSession).
 *
 * <p>Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883),
 * MQTT_CA_FILE, MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10). See README.md.
 */
public final class VertxExample {

    private static final int CLOSE_SECONDS = 10;

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
            settings = ExampleSettings.fromEnvironment("vertx");
            run(settings);
        } catch (Exception e) {
            System.exit(Failures.report(e, settings));
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

        // [START session_options]
        // A session that outlives the connection (MQTT 3.1.1 clean session off): across a reconnect the broker
        // keeps our subscription and the messages it has not delivered to us yet.
        options.setCleanSession(false)
                // Unacknowledged QoS 1 PUBLISHes allowed at once (vertx-mqtt's default is 10): RoundTrip keeps
                // at most WINDOW messages in flight, so this limit never refuses a publish.
                .setMaxInflightQueue(RoundTrip.WINDOW);
        // [END session_options]

        List<String> payloads = IntStream.rangeClosed(1, settings.messages())
                .mapToObj(i -> "Hello from " + settings.clientId() + " #" + i)
                .toList();

        // One Vert.x instance runs the client on its event loop. It is closed on every path, success or not:
        // its threads would otherwise keep the JVM running.
        Vertx vertx = Vertx.vertx();
        try (AutoCloseable closeVertx = () -> waitFor(vertx.close(), CLOSE_SECONDS)) {
            // Vert.x MQTT does not reconnect by itself: ReconnectingSession adds that, and RoundTrip sends the
            // messages with a bounded window, no faster than MQTT_PUBLISH_RATE (Serverless drops what one
            // client sends over 10 per second: see PublishPace), and sends again what a dropped connection
            // left unacknowledged.
            ReconnectingSession session = new ReconnectingSession(
                    vertx, options, settings.host(), settings.port(), settings.topic());
            RoundTrip roundTrip = new RoundTrip(vertx, session, payloads, settings.publishRate());

            // 3. Connect: one attempt, at most 10 s for TCP, TLS and CONNACK. A wrong setting ends here with
            //    its one-line error; only a connection that was up is connected again when it drops.
            Future<Void> done = session.connect()
                    .compose(connAck -> {
                        System.out.println("Connected with client id " + settings.clientId());
                        // 4. Subscribe first, so our own messages come back to us; wait for the SUBACK.
                        return session.subscribe();
                    })
                    .compose(subscribed -> {
                        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");
                        // 5. Publish every message at QoS 1, at the pace, and wait for the broker's acknowledgements
                        //    (PUBACK). MQTT 3.1.1's PUBACK has no reason code: a message the broker drops (over
                        //    the rate, say) is acknowledged all the same, and only missed when it does not come back.
                        return roundTrip.publishAll();
                    })
                    .compose(published -> {
                        System.out.println("Published " + payloads.size() + "/" + payloads.size()
                                + " messages to " + settings.topic() + " at QoS 1");
                        // 6. Wait for every message to come back through the subscription.
                        return roundTrip.allReceived();
                    })
                    .compose(received -> {
                        System.out.println("Received " + payloads.size() + "/" + payloads.size() + " messages on "
                                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");
                        // 7. DISCONNECT; the future completes once the connection is closed.
                        return session.disconnect();
                    });

            // On a failure, stop reconnecting before Vert.x closes the connection (registered first, so it runs
            // before main wakes up): closing it is no lost connection to report or to reconnect.
            done.onFailure(error -> session.stop());

            // Everything above runs on Vert.x's event loop; main's only job is to wait for the outcome, once.
            // There is no total limit, since a large MQTT_MESSAGES takes its time: every step has its own (the
            // connect and the SUBACK 10 s each; the round trip ends in an error once nothing new has arrived for
            // 20 s). A failure comes out as an ExecutionException whose cause chain Failures reads.
            done.toCompletionStage().toCompletableFuture().get();
            System.out.println("Disconnected");
        }
    }

    /** Blocks the calling (non-Vert.x) thread until the future completes, at most the given time. */
    private static <T> T waitFor(Future<T> future, int seconds) throws Exception {
        // Not Future.await(): it rethrows vertx-mqtt's exceptions, which extend Throwable, not Exception.
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }
}
