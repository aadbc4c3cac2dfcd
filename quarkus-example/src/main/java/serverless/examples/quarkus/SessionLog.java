package serverless.examples.quarkus;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the example learns what the MQTT connection does: the connector's session log.
 *
 * <p>The smallrye-mqtt connector keeps its {@code MqttClientSession} to itself: an application cannot
 * register a session state handler, and a connection failure or a reconnect shows up nowhere in the
 * Messaging API (the connector just retries, every second, forever). What the session does reach is its log:
 * at DEBUG, {@code MqttClientSessionImpl} logs every state change (CONNECTING, CONNECTED, DISCONNECTING,
 * DISCONNECTED) with the exception that caused it, the CONNACK's session-present flag, and each subscription's
 * state with the QoS the SUBACK granted. This Quarkus logging filter, installed on the console handler by
 * {@code quarkus.log.console.filter}, passes those records to {@link ConnectionWatch} and keeps every record
 * off the console, so that the example prints only its own lines.
 *
 * <p>It depends on the wording of those debug messages in smallrye-reactive-messaging-mqtt 4.33.0 (Quarkus
 * 3.33); SessionLogTest pins it, so a Quarkus upgrade that changes them fails the build, not a user's run.
 */
@LoggingFilter(name = "mqtt-session-log")
public final class SessionLog implements Filter {

    static final String SESSION_LOGGER = "io.smallrye.reactive.messaging.mqtt.session.impl.MqttClientSessionImpl";

    private static final Pattern STATE = Pattern.compile("^setState - current: \\w+, next: (\\w+)$");
    private static final Pattern CONNACK = Pattern.compile("^Subscriptions: \\w+, cleanSession: \\w+, sessionPresent: (\\w+)$");
    private static final Pattern SUBSCRIPTION =
            Pattern.compile("^notifySubscriptionState - topic: .*, state: (\\w+), grantedQoS: (\\w+)$", Pattern.DOTALL);

    @Override
    public boolean isLoggable(LogRecord record) {
        if (SESSION_LOGGER.equals(record.getLoggerName()) && record.getMessage() != null) {
            read(record.getMessage(), record.getThrown(), ConnectionWatch.INSTANCE);
        }
        return false; // nothing on the console: the example's own lines are its output
    }

    /** Turns one session log message into what it tells the watch; other messages are ignored. */
    static void read(String message, Throwable cause, ConnectionWatch watch) {
        Matcher state = STATE.matcher(message);
        if (state.matches()) {
            watch.stateChanged(state.group(1), cause);
            return;
        }
        Matcher connAck = CONNACK.matcher(message);
        if (connAck.matches()) {
            watch.connAck(Boolean.parseBoolean(connAck.group(1)));
            return;
        }
        Matcher subscription = SUBSCRIPTION.matcher(message);
        if (subscription.matches()) {
            String qos = subscription.group(2);
            watch.subscription(subscription.group(1), "null".equals(qos) ? null : Integer.valueOf(qos));
        }
    }
}
