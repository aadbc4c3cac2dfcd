package serverless.examples.spring;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.integration.mqtt.event.MqttConnectionFailedEvent;
import org.springframework.integration.mqtt.event.MqttSubscribedEvent;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;

/**
 * Spring Boot with Spring Integration's MQTT adapters (Eclipse Paho, MQTT 5) over TLS to EMQX Cloud Serverless.
 * Run with: {@code java -jar target/spring-boot-example.jar}
 *
 * <p>Spring does the first steps while the application starts: it binds and checks the settings
 * ({@link MqttSettings}), builds TLS from the SSL bundle and connects the shared client ({@link MqttConfiguration},
 * {@link SessionClientManager}), and the inbound adapter subscribes. Once the context is up, {@link #run} does
 * the rest: publish, wait for every message to come back, disconnect. Any failure ends the application with
 * one line and exit code 1 (2 for a setting) through Boot's failure analysis ({@link OneLineFailureAnalyzer}).
 */
@SpringBootApplication
@EnableConfigurationProperties(MqttSettings.class)
public class SpringBootExample implements ApplicationRunner {

    /** At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time. */
    private static final int WINDOW = 100;

    private final MqttSettings settings;
    private final SessionClientManager clientManager;
    private final MessageChannel toBroker;
    private final RoundTrip roundTrip;
    /** Completed by the inbound adapter's first SUBACK (an event), or by its failure to subscribe. */
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    public SpringBootExample(MqttSettings settings, SessionClientManager clientManager, MessageChannel toBroker,
            RoundTrip roundTrip) {
        this.settings = settings;
        this.clientManager = clientManager;
        this.toBroker = toBroker;
        this.roundTrip = roundTrip;
    }

    /** Exits with the context's exit code: 0 after a round trip; a failure never gets here (see the class comment). */
    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(SpringBootExample.class, args)));
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            roundTrip();
        } catch (Exception e) {
            throw new ExampleFailure(e, settings);
        }
    }

    private void roundTrip() throws Exception {
        // 1. The inbound adapter subscribes once the client manager has connected: wait for its SUBACK.
        awaitSubscription();
        System.out.println("Subscribed to " + settings.topic() + " at QoS 1");

        // 2. Publish at QoS 1 through the outbound handler without waiting for each PUBACK, but with at most WINDOW
        //    messages unfinished, and at most MQTT_PUBLISH_RATE messages per second: Serverless refuses what is
        //    over 10 per second with PUBACK 0x97 (quota exceeded), which ends the run
        //    (SessionClientManager.deliveryComplete). Paced, half a second's worth unfinished at most: a
        //    reconnect resends them all at once, then the next.
        int window = RoundTrip.window(WINDOW, settings.publishRate());
        PublishPace pace = new PublishPace(settings.publishRate());
        for (int i = 1; i <= settings.messages(); i++) {
            roundTrip.awaitRoom(window);
            pace.awaitTurn();
            publish(i);
        }
        roundTrip.awaitAllAcknowledged();
        System.out.println("Published " + settings.messages() + "/" + settings.messages() + " messages to "
                + settings.topic() + " at QoS 1");

        // 3. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
        roundTrip.awaitAllReceived();
        System.out.println("Received " + settings.messages() + "/" + settings.messages() + " messages on "
                + settings.topic() + " (" + roundTrip.duplicates() + " duplicates)");

        // 4. Done: end the session (expiry 0) and disconnect. The context then closes and stops the adapters.
        clientManager.endSession();
        System.out.println("Disconnected");
    }

    /**
     * Sends message {@code i} to the outbound handler. While the connection is down it waits for the client
     * manager's reconnect (bounded: 20 s without progress); when as many messages as the broker's Receive
     * Maximum are unacknowledged, Paho refuses one more, and it waits for the next PUBACK.
     */
    private void publish(int i) throws Exception {
        while (true) {
            roundTrip.awaitConnected(clientManager::isSessionConnected);
            try {
                toBroker.send(MessageBuilder.withPayload(roundTrip.payload(i).getBytes(UTF_8)).build());
                return;
            } catch (MessagingException e) {
                MqttException cause = Failures.find(e, MqttException.class);
                if (cause != null && cause.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    roundTrip.awaitAcknowledgement();
                } else if (clientManager.isSessionConnected()) {
                    throw e;
                } // else: the connection dropped meanwhile; send it again once reconnected
            }
        }
    }

    private void awaitSubscription() throws Exception {
        try {
            subscribed.get(SessionClientManager.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception failure ? failure : e;
        }
    }

    /** Spring Integration announces a subscription as an application event. */
    @EventListener
    void onSubscribed(MqttSubscribedEvent event) {
        subscribed.complete(null);
    }

    /** The inbound adapter reports a failed subscription as a failed connection. */
    @EventListener
    void onConnectionFailed(MqttConnectionFailedEvent event) {
        if (event.getSource() instanceof Mqttv5PahoMessageDrivenChannelAdapter && event.getCause() != null) {
            subscribed.completeExceptionally(event.getCause());
        }
    }
}
