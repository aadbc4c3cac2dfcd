package serverless.harness.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;

/**
 * The local deployment's ACL: its user may subscribe to the topics under {@link #PREFIX} but not publish on them, as a
 * Serverless user allows a client only to read a topic (the deployment's Authorization page). A PUBLISH there is
 * dropped and answered as EMQX answers a PUBLISH its authorization denies with its default
 * {@code authorization.deny_action = ignore} ({@code emqx_channel:process_publish}): QoS 1 gets PUBACK 0x87 (not
 * authorized), which an MQTT 3.1.1 PUBACK cannot carry (EMQX writes only the packet id), so a 3.1.1 client gets a plain
 * PUBACK and the message is gone; QoS 0 gets nothing. Subscribing stays allowed, as the quotas leave it.
 */
public final class ReadOnlyTopics {

    /** The topics the user may only read. */
    public static final String PREFIX = "serverless-examples/read-only/";

    private ReadOnlyTopics() {
    }

    /** Whether the ACL allows this PUBLISH; if not, it is refused here as EMQX refuses it. */
    static boolean admitPublish(PublishInboundInput input, PublishInboundOutput output) {
        if (!input.getPublishPacket().getTopic().startsWith(PREFIX)) {
            return true;
        }
        if (input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE
                || input.getConnectionInformation().getMqttVersion() != MqttVersion.V_5) {
            // Given an error code, HiveMQ would disconnect an MQTT 3.1.1 client; EMQX acknowledges and drops.
            output.preventPublishDelivery();
        } else {
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED); // PUBACK (or PUBREC) 0x87
        }
        return false;
    }
}
