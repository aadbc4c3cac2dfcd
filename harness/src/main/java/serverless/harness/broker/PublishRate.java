package serverless.harness.broker;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Serverless' publish rate of a single client, counted as EMQX (5.9 and later, so Serverless) counts it: a token
 * bucket of each connection's own ({@link ConnectionRate}) that holds at most {@link #CAPACITY} tokens and gains
 * {@link #PER_SECOND} a second; each PUBLISH takes one, and a PUBLISH that finds none is over the rate. What becomes
 * of it is the caller's business.
 *
 * <p>Per connection, not per client id, because that is where EMQX keeps it (read in emqx/emqx's source, master of
 * 2026-08, under apps/emqx/src/): {@code emqx_channel.erl}'s {@code post_process_connect} creates the channel's
 * limiters ({@code create_limiter}) at each CONNECT it accepts, and its {@code check_quota_exceeded} takes one
 * message from them per PUBLISH; a listener's {@code messages_rate} is an "exclusive" limiter
 * ({@code emqx_limiter/src/emqx_limiter.erl}, {@code create_listener_limiters}), whose bucket lives in the channel's
 * own state and is full at its first use ({@code emqx_limiter_exclusive.erl}, {@code connect}). That state dies with
 * the connection's process, so a client that connects again starts with a full bucket. (EMQX 5.8.9 keeps its limiter
 * in {@code emqx_connection.erl}'s state: per connection too.) Here a connection's {@link ConnectionRate} is held
 * only by the interceptor HiveMQ keeps for that connection, and goes with it.
 *
 * <p>Tests that must publish faster than a deployment allows (1000 messages around a restart, a load case) lift
 * the rate for their own client ids only, for every connection of theirs, those already open too; every other client
 * still meets it.
 */
final class PublishRate {

    static final int CAPACITY = Quota.PUBLISH_RATE.limit();
    static final double PER_SECOND = Quota.PUBLISH_RATE.limit();
    private static final double NANOS_PER_SECOND = 1e9;

    private final LongSupplier nanoClock;
    private final Set<String> lifted = ConcurrentHashMap.newKeySet();

    PublishRate() {
        this(System::nanoTime);
    }

    /** With a clock of its own, for tests: nanoseconds, like {@link System#nanoTime()}. */
    PublishRate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** From now on these clients may publish as fast as they like. */
    void lift(Collection<String> clientIds) {
        lifted.addAll(clientIds);
    }

    /** The rate of a connection just accepted for this client: a bucket of its own, full. */
    ConnectionRate forNewConnection(String clientId) {
        return new ConnectionRate(clientId, new Bucket(nanoClock.getAsLong()));
    }

    /** One connection's share of the rate; the caller keeps it exactly as long as the connection. */
    final class ConnectionRate {
        private final String clientId;
        private final Bucket bucket;

        private ConnectionRate(String clientId, Bucket bucket) {
            this.clientId = clientId;
            this.bucket = bucket;
        }

        /** Takes a token for one PUBLISH on this connection: {@code false} when it is over the rate. */
        boolean admit() {
            return lifted.contains(clientId) || bucket.take(nanoClock.getAsLong());
        }
    }

    /** A new connection starts with a full bucket: ten PUBLISHes at once are within the quota. */
    private static final class Bucket {
        private double tokens = CAPACITY;
        private long refilledAt;

        Bucket(long now) {
            refilledAt = now;
        }

        synchronized boolean take(long now) {
            long elapsed = Math.max(0, now - refilledAt); // another thread may have read the clock later
            tokens = Math.min(CAPACITY, tokens + elapsed * PER_SECOND / NANOS_PER_SECOND);
            refilledAt = Math.max(refilledAt, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
