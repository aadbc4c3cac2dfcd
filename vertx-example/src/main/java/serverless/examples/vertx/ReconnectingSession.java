package serverless.examples.vertx;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.MqttException;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An MQTT session that outlives its connections. The Vert.x MQTT client has no automatic reconnect and keeps
 * nothing for a later connection, so this class adds what a long-running client needs:
 *
 * <ul>
 *   <li>when a connection is lost (the client's close handler, unless we disconnected ourselves), it says so
 *       and connects again on the Vert.x timer, with back-off: about 1 s, doubling up to 4 s, with jitter so a
 *       fleet of devices does not come back in the same millisecond;</li>
 *   <li>a new {@link MqttClient} for every connection: vertx-mqtt 5.0.7 does not clear a closed connection's
 *       unacknowledged QoS 1 packets, which keep counting against {@code maxInflightQueue}, so a reused client
 *       would in time refuse every publish;</li>
 *   <li>it subscribes again when the CONNACK says the broker has no session for us (session present: false);</li>
 *   <li>{@link #publish} completes on the PUBACK. vertx-mqtt reports PUBACKs by packet id only, and packet ids
 *       start again on a new connection, so the session matches them per connection and fails what is still
 *       waiting when the connection drops. What to send again after a reconnect is the caller's choice
 *       ({@link RoundTrip}, told through {@link #onReconnected}).</li>
 * </ul>
 *
 * <p>The first {@link #connect()} is one attempt: a wrong password or certificate must end in the one-line
 * error, not in a retry loop. Everything else runs on the event loop of the client's Vert.x context (its
 * handlers, the timers set from them and the futures composed on them), so the state here needs no locks.
 */
final class ReconnectingSession {

    /** One attempt's bound: TCP connect, TLS handshake and CONNACK together. */
    private static final int TIMEOUT_SECONDS = 10;
    /**
     * The TCP connect's and the TLS handshake's own bounds, which end before {@link #TIMEOUT_SECONDS} together: an
     * attempt still without its CONNACK at that bound has got through TLS (else one of these would have failed it
     * first, with its own exception), so its server never answered the CONNECT. vertx-mqtt does not say whether TLS
     * completed; without them (Vert.x's defaults: 60 s and 10 s) a silent TLS port would look the same.
     */
    private static final int TCP_CONNECT_MILLIS = 5_000;
    private static final int TLS_HANDSHAKE_SECONDS = 4;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 4_000;

    private final Vertx vertx;
    private final MqttClientOptions options;
    private final String host;
    private final int port;
    private final String topic;

    private Handler<String> messageHandler = payload -> { };
    private Handler<Boolean> reconnectHandler = sessionPresent -> { };
    private Handler<Throwable> failureHandler = error -> { };

    // The current connection: its client, what it has published and not had acknowledged yet (by packet id),
    // and PUBACKs that came in before the write of their PUBLISH reported its packet id.
    private MqttClient client;
    private final Map<Integer, Promise<Void>> awaitingPuback = new HashMap<>();
    private final Set<Integer> earlyPubacks = new HashSet<>();
    private Promise<MqttSubAckMessage> awaitingSuback;
    private Throwable lastError;

    private boolean subscribed;
    private boolean stopped;
    private long retryDelay = FIRST_RETRY_MILLIS;
    private long retryTimer = -1;

    ReconnectingSession(Vertx vertx, MqttClientOptions options, String host, int port, String topic) {
        this.vertx = vertx;
        this.options = options;
        options.setConnectTimeout(TCP_CONNECT_MILLIS);
        options.setSslHandshakeTimeout(TLS_HANDSHAKE_SECONDS).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        this.host = host;
        this.port = port;
        this.topic = topic;
    }

    /** Each message that arrives on the subscription, as text. */
    ReconnectingSession onMessage(Handler<String> handler) {
        this.messageHandler = handler;
        return this;
    }

    /** Called after every reconnect (and resubscribe, if needed) with the CONNACK's session-present flag. */
    ReconnectingSession onReconnected(Handler<Boolean> handler) {
        this.reconnectHandler = handler;
        return this;
    }

    /**
     * Called when a reconnect is refused for good: the client id (CONNACK 2), credentials (CONNACK 4, 5) or the
     * ACL (SUBACK 0x80).
     */
    ReconnectingSession onGiveUp(Handler<Throwable> handler) {
        this.failureHandler = handler;
        return this;
    }

    /** The first connect: one attempt, bounded, so that its failure becomes the one-line error. */
    Future<MqttConnAckMessage> connect() {
        return connectOnce();
    }

    /** Subscribes to the topic at QoS 1 and waits for the SUBACK; a refusal (0x80) fails with that code. */
    Future<Void> subscribe() {
        if (!isConnected()) {
            return Future.failedFuture("not connected"); // vertx-mqtt would throw a NullPointerException
        }
        Promise<MqttSubAckMessage> suback = Promise.promise();
        awaitingSuback = suback;
        return client.subscribe(topic, MqttQoS.AT_LEAST_ONCE.value())
                .compose(packetId -> suback.future())
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .compose(subAckMessage -> {
                    if (subAckMessage.grantedQoSLevels().get(0) >= Failures.SUBSCRIPTION_REFUSED) {
                        return Future.failedFuture(new MqttException(Failures.SUBSCRIPTION_REFUSED, "SUBACK 0x80"));
                    }
                    subscribed = true;
                    return Future.succeededFuture();
                });
    }

    boolean isConnected() {
        return !stopped && client != null && client.isConnected();
    }

    /**
     * Publishes at QoS 1 on the current connection. The future completes on the broker's PUBACK, and fails if
     * there is no connection or it drops first; {@code again} sets the DUP flag of a message sent before.
     */
    Future<Void> publish(String payload, boolean again) {
        if (!isConnected()) {
            return Future.failedFuture("not connected");
        }
        MqttClient publisher = client;
        Promise<Void> puback = Promise.promise();
        publisher.publish(topic, Buffer.buffer(payload, "UTF-8"), MqttQoS.AT_LEAST_ONCE, again, false)
                .onComplete(written -> {
                    if (written.failed()) {
                        puback.tryFail(written.cause());
                    } else if (publisher != client || !publisher.isConnected()) {
                        // Written just before the connection dropped: its packet id means nothing any more.
                        puback.tryFail("connection lost");
                    } else if (earlyPubacks.remove(written.result())) {
                        puback.tryComplete();
                    } else {
                        awaitingPuback.put(written.result(), puback);
                    }
                });
        return puback.future();
    }

    /**
     * Stops reconnecting: the run has failed, and closing Vert.x is about to close the connection, which must
     * not be reported as lost.
     */
    void stop() {
        stopped = true;
        vertx.cancelTimer(retryTimer);
    }

    /** Stops reconnecting and sends DISCONNECT; the broker keeps the session (clean session off). */
    Future<Void> disconnect() {
        stopped = true;
        vertx.cancelTimer(retryTimer);
        return client == null ? Future.succeededFuture() : client.disconnect();
    }

    /** A new client for one connection attempt; its events count only while it is the current one. */
    private Future<MqttConnAckMessage> connectOnce() {
        MqttClient attempt = MqttClient.create(vertx, options);
        client = attempt;
        lastError = null;
        attempt.exceptionHandler(error -> lastError = error);
        attempt.publishHandler(message -> messageHandler.handle(message.payload().toString(UTF_8)));
        attempt.publishCompletionHandler(packetId -> {
            if (attempt == client) {
                acknowledged(packetId);
            }
        });
        attempt.subscribeCompletionHandler(subAckMessage -> {
            if (attempt == client && awaitingSuback != null) {
                awaitingSuback.tryComplete(subAckMessage);
            }
        });
        // vertx-mqtt calls the close handler only for a connection that its CONNACK accepted, and also after
        // our own disconnect(): that one is told apart by the stopped flag.
        attempt.closeHandler(closed -> {
            if (attempt == client) {
                connectionLost();
            }
        });
        // [START connect]
        // The third argument is the TLS server name: MQTT_HOST goes out as SNI, which Serverless requires to
        // route the connection to the deployment.
        Future<MqttConnAckMessage> connected = attempt.connect(port, host, host);
        // [END connect]
        // One limit for TCP connect, TLS handshake and CONNACK together (vertx-mqtt waits for the CONNACK
        // without one). Running out of it means TLS had completed (see TCP_CONNECT_MILLIS): the CONNECT went unanswered.
        return connected.timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).recover(error -> {
            if (attempt == client) {
                client = null;
            }
            attempt.disconnect(); // ends an attempt that is still under way
            return Future.failedFuture(error instanceof TimeoutException ? new UnansweredConnect(error) : error);
        });
    }

    private void acknowledged(int packetId) {
        Promise<Void> puback = awaitingPuback.remove(packetId);
        if (puback != null) {
            puback.tryComplete();
        } else {
            earlyPubacks.add(packetId);
        }
    }

    // [START reconnect]
    private void connectionLost() {
        // Messages still waiting for a PUBACK may or may not have reached the broker: their senders decide.
        List<Promise<Void>> unacknowledged = List.copyOf(awaitingPuback.values());
        awaitingPuback.clear();
        earlyPubacks.clear();
        awaitingSuback = null;
        unacknowledged.forEach(puback -> puback.tryFail("connection lost"));
        if (stopped) {
            return;
        }
        System.out.println("Connection lost (" + reason(lastError) + "); reconnecting");
        retryDelay = FIRST_RETRY_MILLIS;
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long jittered = retryDelay / 2 + ThreadLocalRandom.current().nextLong(retryDelay / 2 + 1);
        retryTimer = vertx.setTimer(jittered, id -> reconnect());
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MILLIS);
    }

    private void reconnect() {
        if (stopped) {
            return;
        }
        connectOnce().onComplete(connected -> {
            if (connected.failed()) {
                if (refusedForGood(connected.cause())) {
                    giveUp(connected.cause());
                } else {
                    scheduleReconnect(); // the broker is still away: wait longer
                }
                return;
            }
            boolean sessionPresent = connected.result().isSessionPresent();
            System.out.println("Reconnected (session present: " + sessionPresent + ")");
            // The broker keeps our subscription in the session; when it has none, subscribe again before
            // anything is published, or our own messages would not come back.
            Future<Void> subscription = sessionPresent && subscribed ? Future.succeededFuture() : subscribe();
            subscription.onSuccess(v -> reconnectHandler.handle(sessionPresent)).onFailure(error -> {
                if (refusedForGood(error)) {
                    giveUp(error);
                } else if (isConnected()) {
                    client.disconnect(); // no SUBACK in time: the close handler starts over
                } // else the connection dropped again, and its close handler has already scheduled a retry
            });
        });
    }
    // [END reconnect]

    private void giveUp(Throwable error) {
        stopped = true;
        failureHandler.handle(error);
    }

    private static boolean refusedForGood(Throwable error) {
        if (error instanceof MqttConnectionException refused) {
            return refused.code() == MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED
                    || refused.code() == MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                    || refused.code() == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        return error instanceof MqttException mqtt && mqtt.code() == Failures.SUBSCRIPTION_REFUSED;
    }

    private static String reason(Throwable error) {
        if (error == null) {
            return "the server closed the connection";
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }
}
