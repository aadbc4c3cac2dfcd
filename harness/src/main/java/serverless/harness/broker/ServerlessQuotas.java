package serverless.harness.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.interceptor.connack.ConnackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connack.parameter.ConnackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.connack.parameter.ConnackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.connack.ConnackPacket;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Serverless' quotas on the embedded HiveMQ, each refused as EMQX refuses it (see {@link Quota}) and recorded. The
 * session queue (1000 messages, the oldest dropped) and the packet size are HiveMQ's own settings (see
 * {@link LocalBroker}); HiveMQ closes a connection over the size itself, and this only records it.
 */
final class ServerlessQuotas {

    /** How long the CONNACK of a kept session may wait for HiveMQ's subscription store: far longer than it takes. */
    private static final Duration STORE_BOUND = Duration.ofSeconds(10);

    private final PublishRate publishRate = new PublishRate();
    private final SubscriptionQuota subscriptions = new SubscriptionQuota();
    private final Consumer<QuotaRefusal> refusals;

    ServerlessQuotas(Consumer<QuotaRefusal> refusals) {
        this.refusals = refusals;
    }

    /**
     * Registers what decides for every client; call at each start of the extension (HiveMQ drops it at a stop).
     * The subscription authorizer decides alone: it grants a subscription itself rather than leaving it to default
     * permissions, which HiveMQ refuses once any authorizer is present. It is not a publish authorizer, so
     * PUBLISHes stay with the default permissions (allowed), as without it.
     */
    void register() {
        SubscriptionAuthorizer authorizer = this::authorizeSubscribe;
        Services.securityRegistry().setAuthorizerProvider(input -> authorizer);
        ConnackOutboundInterceptor sessions = this::startCounting;
        Services.interceptorRegistry().setConnackOutboundInterceptorProvider(input -> sessions);
        ClientLifecycleEventListener disconnects = new PacketTooLargeRecorder();
        Services.eventRegistry().setClientLifecycleEventListener(input -> disconnects);
    }

    /** From now on these clients may publish faster than the quota. */
    void liftPublishRate(Collection<String> clientIds) {
        publishRate.lift(clientIds);
    }

    /** Whether the client id is within the quota; if not, the refusal is recorded and the CONNACK must refuse it. */
    boolean admitClientId(String clientId) {
        if (clientId.getBytes(StandardCharsets.UTF_8).length <= Quota.CLIENT_ID_LENGTH.limit()) {
            return true;
        }
        refusals.accept(new QuotaRefusal(clientId, Quota.CLIENT_ID_LENGTH));
        return false;
    }

    /** The publish rate of a connection HiveMQ has just accepted: a full bucket of its own, kept as long as it is. */
    PublishRate.ConnectionRate publishRateOfNewConnection(String clientId) {
        return publishRate.forNewConnection(clientId);
    }

    /**
     * Whether this PUBLISH is within its connection's rate ({@code rate}, from {@link #publishRateOfNewConnection});
     * if not, it is refused here (and recorded) as EMQX does.
     */
    boolean admitPublish(PublishRate.ConnectionRate rate, PublishInboundInput input, PublishInboundOutput output) {
        if (rate.admit()) {
            return true;
        }
        String clientId = input.getClientInformation().getClientId();
        refusals.accept(new QuotaRefusal(clientId, Quota.PUBLISH_RATE));
        if (input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE
                || input.getConnectionInformation().getMqttVersion() != MqttVersion.V_5) {
            // QoS 0 is never acknowledged. An MQTT 3.1.1 PUBACK carries no reason code: EMQX acknowledges and drops,
            // which is what SUCCESS does here (given an error code, HiveMQ would disconnect a 3.1.1 client instead).
            output.preventPublishDelivery();
        } else {
            output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED); // PUBACK (or PUBREC) 0x97
        }
        return false;
    }

    /** For each client's own interceptors: a filter it unsubscribes no longer counts. */
    void unsubscribed(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        subscriptions.unsubscribe(input.getClientInformation().getClientId(),
                input.getUnsubscribePacket().getTopicFilters());
    }

    /** Called by HiveMQ for each filter of a SUBSCRIBE, one client's in the order they came. */
    private void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<Quota> over = subscriptions.subscribe(clientId, input.getSubscription().getTopicFilter());
        if (over.isEmpty()) {
            output.authorizeSuccessfully();
            return;
        }
        refusals.accept(new QuotaRefusal(clientId, over.get()));
        // HiveMQ answers an MQTT 3.1.1 client 0x80 (failure) for either code.
        output.failAuthorization(over.get() == Quota.TOPIC_LEVELS ? SubackReasonCode.TOPIC_FILTER_INVALID
                : SubackReasonCode.QUOTA_EXCEEDED);
    }

    /**
     * A client's count starts with its session, before the CONNACK lets it subscribe: a new session holds nothing;
     * a kept one (a reconnect without a clean start, or across a restart) holds what HiveMQ kept for it.
     */
    private void startCounting(ConnackOutboundInput input, ConnackOutboundOutput output) {
        ConnackPacket connack = input.getConnackPacket();
        String clientId = input.getClientInformation().getClientId();
        if (connack.getReasonCode() != ConnackReasonCode.SUCCESS) {
            return;
        }
        if (!connack.getSessionPresent()) {
            subscriptions.sessionStarted(clientId, Set.of());
            return;
        }
        Async<ConnackOutboundOutput> async = output.async(STORE_BOUND, TimeoutFallback.SUCCESS);
        Services.subscriptionStore().getSubscriptions(clientId).whenComplete((kept, error) -> {
            if (error == null) { // otherwise the count goes on from what it was
                subscriptions.sessionStarted(clientId,
                        kept.stream().map(TopicSubscription::getTopicFilter).collect(Collectors.toSet()));
            }
            async.resume();
        });
    }

    /** HiveMQ itself closes a connection whose packet is over its maximum size: this records that. */
    private final class PacketTooLargeRecorder implements ClientLifecycleEventListener {
        @Override
        public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
            // Fired with the reason for MQTT 3.1.1 clients too, although they get no DISCONNECT packet.
            if (input.getReasonCode().filter(DisconnectedReasonCode.PACKET_TOO_LARGE::equals).isPresent()) {
                refusals.accept(new QuotaRefusal(input.getClientInformation().getClientId(), Quota.MESSAGE_SIZE));
            }
        }

        @Override
        public void onMqttConnectionStart(ConnectionStartInput input) {
        }

        @Override
        public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        }

        @Override
        public void onDisconnect(DisconnectEventInput input) {
        }
    }
}
