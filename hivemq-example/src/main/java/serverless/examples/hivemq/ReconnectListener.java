package serverless.examples.hivemq;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;

/**
 * What the example adds to the HiveMQ client's own automatic reconnect, for MQTT 5 and 3.1.1 alike.
 *
 * <p>The client's {@code automaticReconnect()} is a disconnected listener that reconnects with exponential
 * back-off after anything but the user's own disconnect. The client then resends the messages the broker had
 * not acknowledged, sends those queued meanwhile, and subscribes again if the new CONNACK says the session is
 * gone. The builder puts it first, so this listener is called after it, on the client's event loop, and:
 * <ul>
 *   <li>cancels the reconnect when the user's first {@code connect()} failed, so that call throws the
 *     reason (wrong password, closed port, ...) at once instead of retrying it forever;</li>
 *   <li>keeps the messages when the broker lost the session: by default the client fails every queued and
 *     unacknowledged publish then ({@code republishIfSessionExpired} is false); here it sends them again;</li>
 *   <li>says on standard output that the connection was lost and that it is back, with the CONNACK's
 *     session present flag.</li>
 * </ul>
 */
final class ReconnectListener implements MqttClientConnectedListener, MqttClientDisconnectedListener {

    private volatile boolean connectedBefore;

    @Override
    public void onConnected(MqttClientConnectedContext context) {
        if (connectedBefore) {
            System.out.println("Reconnected (session present: " + sessionPresent(context) + ")");
        }
        connectedBefore = true;
    }

    @Override
    public void onDisconnected(MqttClientDisconnectedContext context) {
        // [START on_disconnected]
        if (context.getSource() == MqttDisconnectSource.USER) {
            return; // our own disconnect at the end: the client does not reconnect after it
        }
        MqttClientState state = context.getClientConfig().getState();
        if (!state.isConnectedOrReconnect()) {
            // CONNECTING: the connect() the example called failed. No retry: connect() throws the reason.
            context.getReconnector().reconnect(false);
            return;
        }
        // If the next CONNACK says the session is gone, send the queued and unacknowledged messages anyway
        // (the default fails them). Every disconnect brings a new reconnector set to the default: set it each time.
        context.getReconnector().republishIfSessionExpired(true);
        if (state == MqttClientState.CONNECTED) {
            // A connection that was up has dropped; failed attempts to reconnect (CONNECTING_RECONNECT) are silent.
            System.out.println("Connection lost (" + reason(context.getCause()) + "); reconnecting");
        }
        // [END on_disconnected]
    }

    private static boolean sessionPresent(MqttClientConnectedContext context) {
        if (context instanceof Mqtt5ClientConnectedContext mqtt5) {
            return mqtt5.getConnAck().isSessionPresent();
        }
        return ((Mqtt3ClientConnectedContext) context).getConnAck().isSessionPresent();
    }

    /** "Server closed connection without DISCONNECT", "Server sent DISCONNECT SERVER_SHUTTING_DOWN", ... */
    private static String reason(Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (reason.endsWith(".")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            reason += " " + disconnect.getMqttMessage().getReasonCode();
        }
        return reason;
    }
}
