package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttConnectionException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * What the connector's session logs (smallrye-reactive-messaging-mqtt 4.33.0, MqttClientSessionImpl, at
 * DEBUG), read as the example reads it. The messages here are the connector's own, word for word: a
 * connector upgrade that rewords them must fail this test rather than a user's run.
 */
class SessionLogTest {

    @Test
    void theFirstFailedAttemptFailsTheConnectionWithItsCause() {
        ConnectionWatch watch = new ConnectionWatch();
        MqttConnectionException refused =
                new MqttConnectionException(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);

        SessionLog.read("setState - current: DISCONNECTED, next: CONNECTING", null, watch);
        SessionLog.read("setState - current: CONNECTING, next: DISCONNECTED", refused, watch);

        ExecutionException error = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> watch.connected().get());
        assertSame(refused, error.getCause());
        assertTrue(Failures.describe(error.getCause(), "abc.emqxsl.com", "quarkus-1").contains("username or password"));
    }

    @Test
    void aConnectionThatDropsAndComesBackPrintsTheContractsTwoLines() {
        ConnectionWatch watch = new ConnectionWatch();
        String printed = printedBy(() -> {
            SessionLog.read("setState - current: CONNECTING, next: CONNECTED", null, watch);
            SessionLog.read("Subscriptions: true, cleanSession: false, sessionPresent: false", null, watch);
            SessionLog.read("notifySubscriptionState - topic: serverless-examples/q, state: SUBSCRIBED, grantedQoS: 1", null, watch);
            assertTrue(watch.readyToPublish());
            SessionLog.read("setState - current: CONNECTED, next: DISCONNECTED", new RuntimeException("Connection closed"), watch);
            SessionLog.read("notifySubscriptionState - topic: serverless-examples/q, state: UNSUBSCRIBED, grantedQoS: null", null, watch);
            assertFalse(watch.readyToPublish());
            SessionLog.read("setState - current: CONNECTING, next: CONNECTED", null, watch);
            SessionLog.read("Subscriptions: true, cleanSession: false, sessionPresent: true", null, watch);
            SessionLog.read("notifySubscriptionState - topic: serverless-examples/q, state: SUBSCRIBED, grantedQoS: 1", null, watch);
        });

        assertEquals("Connection lost (the server closed the connection); reconnecting\n"
                + "Reconnected (session present: true)\n", printed.replace(System.lineSeparator(), "\n"));
        assertTrue(watch.readyToPublish());
        assertEquals(1, watch.subscribed().join());
    }

    @Test
    void ourOwnDisconnectIsNoLostConnection() {
        ConnectionWatch watch = new ConnectionWatch();
        String printed = printedBy(() -> {
            SessionLog.read("setState - current: CONNECTING, next: CONNECTED", null, watch);
            watch.stopping();
            SessionLog.read("setState - current: CONNECTED, next: DISCONNECTING", null, watch);
            SessionLog.read("setState - current: DISCONNECTING, next: DISCONNECTED", null, watch);
        });

        assertEquals("", printed);
        assertTrue(watch.stopping().isDone());
    }

    @Test
    void aRefusedSubscriptionIsGrantedQos128() {
        ConnectionWatch watch = new ConnectionWatch();
        SessionLog.read("notifySubscriptionState - topic: t, state: SUBSCRIBED, grantedQoS: 128", null, watch);

        assertEquals(128, watch.subscribed().join());
        assertFalse(watch.readyToPublish());
    }

    private static String printedBy(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
