package serverless.bench;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;

/** The HiveMQ client's transport, as hivemq-example and websocket-example set it up, for both protocol versions. */
final class HiveMqTransport {

    static final int TIMEOUT_SECONDS = 10;

    private HiveMqTransport() {
    }

    static MqttClientTransportConfig config(Target target, Transport transport) throws Exception {
        MqttClientSslConfig tls = MqttClientSslConfig.builder()
                // null: the JDK's default trust store. No hostnameVerifier(...): without one the client has the
                // JDK check the certificate against the host name (HTTPS rules), and it sends the name as SNI.
                .trustManagerFactory(ServerTrust.trustManagers(target.caFile()).orElse(null))
                .handshakeTimeout(TIMEOUT_SECONDS, SECONDS)
                .build();
        MqttClientTransportConfigBuilder builder = MqttClientTransportConfig.builder()
                .serverHost(target.host())
                .serverPort(target.port(transport))
                .sslConfig(tls)
                .socketConnectTimeout(TIMEOUT_SECONDS, SECONDS)
                .mqttConnectTimeout(TIMEOUT_SECONDS, SECONDS);
        if (transport == Transport.WSS) {
            // The path without its leading slash; the client's default is empty ("GET /"), which EMQX answers 404.
            builder.webSocketConfig(MqttWebSocketConfig.builder().serverPath(target.wsPath().substring(1)).build());
        }
        return builder.build();
    }

    /** For both protocol versions: a connection lost other than by our own disconnect fails the measurement. */
    static MqttClientDisconnectedListener failOnDrop(Deliveries deliveries) {
        return context -> {
            if (context.getSource() != MqttDisconnectSource.USER) {
                deliveries.failed(context.getCause());
            }
        };
    }
}
