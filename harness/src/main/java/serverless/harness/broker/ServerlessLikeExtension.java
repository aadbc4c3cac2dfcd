package serverless.harness.broker;

import serverless.harness.Transport;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The embedded HiveMQ extension that makes the broker answer like EMQX 5.8.9's built-in user database
 * (what a Serverless deployment's Authentication page manages), and records every CONNECT and PUBLISH.
 *
 * <ul>
 *   <li>no user name or no password: bad user name or password (MQTT 3.1.1 code 4, MQTT 5 0x86);</li>
 *   <li>a user name the deployment does not know: not authorized (code 5, 0x87);</li>
 *   <li>a wrong password: bad user name or password (code 4, 0x86).</li>
 * </ul>
 * Anonymous clients are refused. It starts before the listeners open, so there is no anonymous window.
 *
 * <p>It also enforces Serverless' quotas ({@link ServerlessQuotas}): a client id over the quota is refused in the
 * CONNACK before its credentials are looked at, as EMQX checks it first. And it applies the deployment's ACL
 * ({@link ReadOnlyTopics}): publishing under {@code serverless-examples/read-only/} is denied as EMQX denies it.
 */
final class ServerlessLikeExtension implements ExtensionMain {

    /** A listener as HiveMQ reported it configured: type, bind address and port. */
    record ListenerInfo(ListenerType type, String bindAddress, int port) {
    }

    private final Map<String, byte[]> passwords;
    private final Consumer<ConnectionRecord> connections;
    private final Consumer<PublishRecord> publishes;
    private final PublishHold hold;
    private final ServerlessQuotas quotas;
    private volatile Set<ListenerInfo> listeners = Set.of();

    ServerlessLikeExtension(Map<String, String> users, Consumer<ConnectionRecord> connections,
            Consumer<PublishRecord> publishes, PublishHold hold, ServerlessQuotas quotas) {
        Map<String, byte[]> copy = new HashMap<>();
        users.forEach((user, password) -> copy.put(user, password.getBytes(StandardCharsets.UTF_8)));
        this.passwords = Map.copyOf(copy);
        this.connections = connections;
        this.publishes = publishes;
        this.hold = hold;
        this.quotas = quotas;
    }

    /** The listeners HiveMQ was configured with, as seen at the extension's last start. */
    Set<ListenerInfo> listeners() {
        return listeners;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        listeners = input.getServerInformation().getListener().stream()
                .map(l -> new ListenerInfo(l.getListenerType(), l.getBindAddress(), l.getPort()))
                .collect(Collectors.toUnmodifiableSet());
        SimpleAuthenticator authenticator = this::authenticate;
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        UnsubscribeInboundInterceptor unsubscribes = quotas::unsubscribed;
        Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
            // HiveMQ calls this once per connection, as it writes a successful CONNACK, and keeps the client context
            // on that connection's channel (HiveMQ CE's PluginInitializerHandler): each connection gets a publish rate
            // of its own, full, that goes with it, as EMQX's channel does (see PublishRate).
            PublishRate.ConnectionRate rate = quotas.publishRateOfNewConnection(
                    initializerInput.getClientInformation().getClientId());
            clientContext.addPublishInboundInterceptor((publish, decision) -> recordPublish(rate, publish, decision));
            clientContext.addUnsubscribeInboundInterceptor(unsubscribes);
        });
        quotas.register();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: HiveMQ drops the registrations itself.
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        ConnackReasonCode result = quotas.admitClientId(connect.getClientId())
                ? check(connect.getUserName(), connect.getPassword())
                : ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID; // MQTT 3.1.1: return code 2, identifier rejected
        ConnectionInformation connection = input.getConnectionInformation();
        connections.accept(new ConnectionRecord(Instant.now(), connect.getClientId(),
                connect.getUserName().orElse(""),
                connection.getClientTlsInformation().flatMap(ClientTlsInformation::getHostname).orElse(""),
                connection.getClientTlsInformation().map(ClientTlsInformation::getProtocol).orElse(""),
                connection.getListener().map(ServerlessLikeExtension::transport).orElse(null),
                version(connect.getMqttVersion()), result == ConnackReasonCode.SUCCESS, result.name()));
        if (result == ConnackReasonCode.SUCCESS) {
            output.authenticateSuccessfully();
        } else {
            output.failAuthentication(result);
        }
    }

    private ConnackReasonCode check(Optional<String> username, Optional<ByteBuffer> password) {
        if (username.isEmpty() || password.isEmpty()) {
            return ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
        }
        byte[] expected = passwords.get(username.get());
        if (expected == null) {
            return ConnackReasonCode.NOT_AUTHORIZED;
        }
        ByteBuffer given = password.get().asReadOnlyBuffer();
        byte[] bytes = new byte[given.remaining()];
        given.get(bytes);
        boolean matches = MessageDigest.isEqual(expected, bytes); // constant time for equal lengths
        Arrays.fill(bytes, (byte) 0);
        return matches ? ConnackReasonCode.SUCCESS : ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
    }

    private void recordPublish(PublishRate.ConnectionRate rate, PublishInboundInput input,
            PublishInboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        // Over the rate, or denied by the ACL (checked in that order, as EMQX does), it is refused and dropped here, so
        // a hold never holds it (nor counts it among those it lets pass). Recorded once that is decided: a test that
        // sees it recorded sees any refusal too.
        boolean admitted = quotas.admitPublish(rate, input, output) && ReadOnlyTopics.admitPublish(input, output);
        publishes.accept(new PublishRecord(Instant.now(), input.getClientInformation().getClientId(),
                publish.getTopic(), publish.getQos().getQosNumber()));
        if (admitted) {
            hold.intercept(input, output);
        }
    }

    private static Transport transport(Listener listener) {
        return switch (listener.getListenerType()) {
            case TLS_WEBSOCKET_LISTENER, WEBSOCKET_LISTENER -> Transport.WSS;
            case TLS_TCP_LISTENER, TCP_LISTENER -> Transport.TLS;
        };
    }

    private static String version(MqttVersion version) {
        return switch (version) {
            case V_3_1 -> "3.1";
            case V_3_1_1 -> "3.1.1";
            case V_5 -> "5";
        };
    }
}
