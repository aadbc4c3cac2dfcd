package serverless.harness.broker;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Serverless' publish rate of a single client, counted as EMQX (5.9 and later, so Serverless) counts it: a token
 * bucket per client id that holds at most {@link #CAPACITY} tokens and gains {@link #PER_SECOND} a second; each
 * PUBLISH takes one, and a PUBLISH that finds none is over the rate. What becomes of it is the caller's business.
 *
 * <p>Tests that must publish faster than a deployment allows (1000 messages around a restart, a load case) lift
 * the rate for their own client ids only; every other client still meets it.
 */
final class PublishRate {

    static final int CAPACITY = Quota.PUBLISH_RATE.limit();
    static final double PER_SECOND = Quota.PUBLISH_RATE.limit();
    private static final double NANOS_PER_SECOND = 1e9;

    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
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

    /** Takes a token for one PUBLISH of this client: {@code false} when it is over the rate. */
    boolean admit(String clientId) {
        if (lifted.contains(clientId)) {
            return true;
        }
        long now = nanoClock.getAsLong();
        return buckets.computeIfAbsent(clientId, id -> new Bucket(now)).take(now);
    }

    /** A new client starts with a full bucket: ten PUBLISHes at once are within the quota. */
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
