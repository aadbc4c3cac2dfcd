package serverless.examples.websocket;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;

/**
 * {@link HiveMqWebSocketExample}'s connected and disconnected listener, beside the client's own
 * {@code automaticReconnect()}: it says when the connection drops and comes back, keeps the messages
 * that are on their way if the broker lost the session, and lets the FIRST connect fail.
 *
 * <p>What the client does by itself with automatic reconnect: it reconnects with back-off, keeps the
 * messages published meanwhile and sends them after the reconnect, resends those without a PUBACK, and
 * subscribes again when the CONNACK says the session is gone ({@code resubscribeIfSessionExpired}, on by
 * default). What it does not do by default: keep unacknowledged messages when the session is gone
 * ({@code republishIfSessionExpired}, off: they fail instead). And it retries every failed connect, the
 * first one included, so that a wrong password or WebSocket path would make the blocking {@code connect()}
 * wait forever instead of throwing the reason.
 *
 * <p>The client calls both listeners on its own thread (its event loop), after its automatic reconnect, which
 * the client builder puts first among the disconnected listeners: a decision made here is the last word.
 */
final class ReconnectListener implements MqttClientConnectedListener, MqttClientDisconnectedListener {

    private volatile boolean connectedBefore;

    // [START hivemq_reconnect]
    @Override
    public void onConnected(MqttClientConnectedContext context) {
        if (connectedBefore) {
            boolean sessionPresent = ((Mqtt5ClientConnectedContext) context).getConnAck().isSessionPresent();
            System.out.println("Reconnected (session present: " + sessionPresent + ")");
        }
        connectedBefore = true;
    }

    @Override
    public void onDisconnected(MqttClientDisconnectedContext context) {
        if (context.getSource() == MqttDisconnectSource.USER) {
            return; // the example's own DISCONNECT at the end: the client does not reconnect after it
        }
        MqttClientState state = context.getClientConfig().getState();
        if (!state.isConnectedOrReconnect()) {
            // CONNECTING: the example's connect() failed. No retry, so that it throws the reason (password, path, ...).
            context.getReconnector().reconnect(false);
            return;
        }
        // If the broker lost the session, send the unacknowledged and queued messages again rather than fail them.
        context.getReconnector().republishIfSessionExpired(true);
        if (state == MqttClientState.CONNECTED) {
            // A connection that was up has dropped; failed attempts to reconnect (CONNECTING_RECONNECT) are silent.
            System.out.println("Connection lost (" + Failures.reason(context.getCause()) + "); reconnecting");
        }
    }
    // [END hivemq_reconnect]
}
