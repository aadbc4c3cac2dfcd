package serverless.examples.spring;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.Mqttv5PahoMessageHandler;

/**
 * The MQTT side of the application, the Spring Integration way: one shared connection (the client manager), an
 * inbound channel adapter that subscribes to MQTT_TOPIC and hands each message to the round trip, and an
 * outbound message handler that publishes what is sent to the {@code toBroker} channel.
 */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    /** How long the broker keeps the session after the connection drops (until the final DISCONNECT). */
    static final long SESSION_EXPIRY_SECONDS = 300;

    /** A bad {@code mqtt.*} setting ends the start-up with its own line and exit code 2. */
    @Bean
    static ConfigurationPropertiesBindHandlerAdvisor settingsFailures() {
        return new SettingsFailures();
    }

    @Bean
    RoundTrip roundTrip(MqttSettings settings) {
        return new RoundTrip(settings.clientId(), settings.messages());
    }

    @Bean
    SessionClientManager clientManager(MqttSettings settings, SslBundles sslBundles, RoundTrip roundTrip) {
        // Credentials: Serverless has no anonymous access.
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(new String[] {settings.serverUri()});
        options.setUserName(settings.username());
        options.setPassword(settings.password().getBytes(UTF_8));
        options.setConnectionTimeout((int) (SessionClientManager.TIMEOUT_MILLIS / 1000));

        // [START tls]
        // TLS from Spring Boot's SSL bundle "mqtt" (application.properties): it trusts MQTT_CA_FILE, or the JDK's
        // trust store when that is not set. Its SSLContext makes the sockets ("TLS": 1.3 or 1.2, none pinned).
        SslBundle tls = sslBundles.getBundle("mqtt");
        options.setSocketFactory(new PahoSocketFactory(tls.createSslContext().getSocketFactory()));
        // Checks that the certificate is for MQTT_HOST (Paho's default, kept on explicitly). Paho also sends
        // MQTT_HOST as SNI, which Serverless requires.
        options.setHttpsHostnameVerificationEnabled(true);
        // [END tls]

        // [START session]
        // A session that outlives the connection: the broker keeps the subscription and queues QoS 1 messages
        // for 300 s after a drop, and Paho resends the messages that have no PUBACK yet. The reconnect is the
        // client manager's (SessionClientManager), not Paho's automatic one.
        options.setCleanStart(false);
        options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
        options.setAutomaticReconnect(false);
        // [END session]
        SessionClientManager manager = new SessionClientManager(options, settings, roundTrip);
        manager.setPhase(-1); // started before the adapters that use its connection, stopped after them
        return manager;
    }

    // [START flows]
    /** MQTT_TOPIC → the round trip: every message that comes back through the subscription (QoS 1). */
    @Bean
    IntegrationFlow receiving(SessionClientManager clientManager, MqttSettings settings, RoundTrip roundTrip) {
        Mqttv5PahoMessageDrivenChannelAdapter inbound = new Mqttv5PahoMessageDrivenChannelAdapter(clientManager,
                settings.topic());
        inbound.setQos(1);
        return IntegrationFlow.from(inbound)
                .handle(message -> roundTrip.received(new String((byte[]) message.getPayload(), UTF_8)))
                .get();
    }

    /** The {@code toBroker} channel → MQTT_TOPIC at QoS 1, without waiting for each PUBACK (async). */
    @Bean
    IntegrationFlow publishing(DirectChannel toBroker, SessionClientManager clientManager, MqttSettings settings) {
        Mqttv5PahoMessageHandler outbound = new Mqttv5PahoMessageHandler(clientManager);
        outbound.setDefaultTopic(settings.topic());
        outbound.setDefaultQos(1);
        outbound.setAsync(true);
        return IntegrationFlow.from(toBroker).handle(outbound).get();
    }
    // [END flows]

    /** Where the application sends the messages to publish: a plain channel, the outbound handler behind it. */
    @Bean
    DirectChannel toBroker() {
        return new DirectChannel();
    }
}
