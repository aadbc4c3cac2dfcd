package serverless.examples.quarkus;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Quarkus Messaging (SmallRye Reactive Messaging on the Vert.x MQTT client, MQTT 3.1.1) over TLS to EMQX
 * Cloud Serverless: an incoming and an outgoing channel on one topic, configured in application.properties,
 * TLS from the Quarkus TLS registry. It sends MQTT_MESSAGES messages at QoS 1, waits for every one to come
 * back, and disconnects; a dropped connection is reconnected by the connector and reported here.
 *
 * <p>Quarkus starts the channels before {@link #run} is called: by then the connector is already
 * connecting. The run reads like the other examples all the same: settings (checked by Quarkus as it
 * starts, see {@link MqttSettings}), connect, subscribe, publish, wait for the messages, disconnect.
 * Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883), MQTT_CA_FILE,
 * MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10). See README.md.
 */
@QuarkusMain
public class QuarkusExample implements QuarkusApplication {

    private static final int CONNECT_SECONDS = 10;
    private static final int DISCONNECT_SECONDS = 10;

    @Inject
    MqttSettings settings;

    @Inject
    RoundTrip roundTrip;

    // [START main]
    public static void main(String... args) {
        quiet();
        // Quarkus starts (settings checked, TLS registry, channels), calls run(), and stops. With an exit
        // handler of its own, a failed start is not logged by Quarkus: it comes here as an exception.
        Quarkus.run(QuarkusExample.class, (exitCode, failure) -> {
            if (failure != null) {
                exitCode = Failures.report(failure, null, null); // exit code 2 for a wrong setting
            }
            System.exit(exitCode);
        }, args);
    }
    // [END main]

    @Override
    public int run(String... args) {
        ConnectionWatch connection = ConnectionWatch.INSTANCE;
        try {
            roundTripOver(connection);
            return 0;
        } catch (Exception e) {
            connection.stopping(); // Quarkus' shutdown closes the connection next: that is no loss to report
            return Failures.report(e, settings.host(), settings.clientId());
        }
    }

    private void roundTripOver(ConnectionWatch connection) throws Exception {
        // 1. Address: Serverless has no plaintext port; "ssl://" is only printed.
        System.out.println("Connecting to ssl://" + settings.host() + ":" + settings.port() + " as "
                + settings.username() + " (trust: "
                + settings.caFile().map(file -> "MQTT_CA_FILE " + file).orElse("JDK default trust store") + ")");

        // 2. Connect: the connector started connecting as Quarkus started; at most 10 s for TCP, TLS and
        //    CONNACK. A wrong password or certificate ends here with its one-line error.
        awaitFirstConnect(connection);
        System.out.println("Connected with client id " + settings.clientId());

        // 3. Subscribed: the incoming channel subscribed as it started; the SUBACK comes after the CONNACK.
        int grantedQos = waitFor(connection.subscribed(), CONNECT_SECONDS,
                () -> new SocketTimeoutException("no SUBACK within " + CONNECT_SECONDS + " s"));
        if (grantedQos >= 0x80) {
            throw new Failures.SubscriptionRefusedException();
        }
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // 4. Publish every message at QoS 1 through the outgoing channel, at the pace. No total limit: a large
        //    MQTT_MESSAGES takes its time, and the round trip ends with an error once nothing new has
        //    happened for 20 s.
        List<String> payloads = IntStream.rangeClosed(1, settings.messages())
                .mapToObj(i -> "Hello from " + settings.clientId() + " #" + i)
                .toList();
        roundTrip.publishAll(payloads, settings.publishRate(), connection).get();
        System.out.println("Published " + payloads.size() + "/" + payloads.size() + " messages to "
                + settings.topic() + " at QoS 1");

        // 5. Wait for every message to come back on the incoming channel.
        roundTrip.allReceived().get();
        System.out.println("Received " + payloads.size() + "/" + payloads.size() + " messages on "
                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

        // 6. Disconnect: completing the outgoing channel makes the connector stop its session, which sends
        //    DISCONNECT (the broker keeps the session: clean session off).
        CompletableFuture<Void> disconnected = connection.stopping();
        roundTrip.complete();
        waitFor(disconnected, DISCONNECT_SECONDS,
                () -> new SocketTimeoutException("not disconnected within " + DISCONNECT_SECONDS + " s"));
        System.out.println("Disconnected");
    }

    /**
     * Nothing on standard error but the example's one line.
     *
     * <p>Quarkus applies application.properties' logging settings (all off but the connector's session log,
     * which SessionLog reads) as it starts. A start that a wrong setting ends comes before that, and Quarkus'
     * shutdown would then log warnings with the JDK's defaults: the root logger is off from the beginning.
     * (The same log manager Quarkus installs, named before anything touches java.util.logging.)
     */
    private static void quiet() {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    }

    /**
     * The first connect's outcome, within {@link #CONNECT_SECONDS}. No CONNACK by then, or the connection closed
     * before one, means that TLS had completed and the server never answered the CONNECT ({@link UnansweredConnect}
     * says how that is known): not a timeout of the network, and not its line.
     */
    private static void awaitFirstConnect(ConnectionWatch connection) throws Exception {
        try {
            waitFor(connection.connected(), CONNECT_SECONDS, () -> new UnansweredConnect(
                    new SocketTimeoutException("no CONNACK within " + CONNECT_SECONDS + " s")));
        } catch (Exception failed) {
            throw UnansweredConnect.closedBeforeConnack(failed) ? new UnansweredConnect(failed) : failed;
        }
    }

    /** Waits at most {@code seconds}; a timeout becomes the exception {@code timedOut} makes. */
    private static <T> T waitFor(CompletableFuture<T> future, int seconds, Supplier<Exception> timedOut)
            throws Exception {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw timedOut.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
