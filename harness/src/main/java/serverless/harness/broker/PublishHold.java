package serverless.harness.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the PUBLISHes of chosen clients after their first few, so that a test can act on the broker
 * while those clients are provably in the middle of their run, however slow the machine: a held PUBLISH
 * gets no PUBACK, so a client with a bounded window of messages in flight can neither finish nor run ahead.
 *
 * <p>It is a trickle, not a wall: every {@link #TRICKLE} (or the interval a test gives) one held PUBLISH of
 * each client goes through, so that each client still sees progress (the examples give up after 20 s
 * without any) but needs many minutes for a few thousand messages. HiveMQ hands one client's PUBLISHes to the interceptor in order, so
 * a held one holds the later ones back too. {@link #release()} lets everything through. A hold never
 * outlives {@link #LIMIT}: past it, HiveMQ lets the PUBLISH through by itself.
 */
final class PublishHold {

    static final Duration LIMIT = Duration.ofSeconds(120);
    static final Duration TRICKLE = Duration.ofMillis(250);

    private final Set<String> clientIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> seen = new HashMap<>();
    private final Map<String, Deque<Async<PublishInboundOutput>>> held = new HashMap<>();
    private int passedBeforeHold;
    private ScheduledExecutorService trickle;

    /**
     * From now on, hold every PUBLISH of these clients after the first {@code passed} of each, letting one of each
     * through every {@code trickle} (the interval of the first hold until {@link #release()}).
     */
    synchronized void hold(Set<String> clients, int passed, Duration trickleEvery) {
        clientIds.addAll(clients);
        passedBeforeHold = passed;
        if (trickle == null) {
            trickle = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "publish-hold-trickle");
                thread.setDaemon(true);
                return thread;
            });
            trickle.scheduleAtFixedRate(this::letOneOfEachThrough, trickleEvery.toMillis(), trickleEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Lets every held PUBLISH through and holds nothing more. */
    void release() {
        List<Async<PublishInboundOutput>> toResume = new ArrayList<>();
        synchronized (this) {
            if (trickle != null) {
                trickle.shutdownNow();
                trickle = null;
            }
            clientIds.clear();
            seen.clear();
            held.values().forEach(toResume::addAll);
            held.clear();
        }
        toResume.forEach(Async::resume);
    }

    /** Called for every PUBLISH the broker receives, before it is processed. */
    void intercept(PublishInboundInput input, PublishInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        if (!clientIds.contains(clientId)) {
            return;
        }
        synchronized (this) {
            if (clientIds.contains(clientId) && seen.merge(clientId, 1, Integer::sum) > passedBeforeHold) {
                held.computeIfAbsent(clientId, id -> new ArrayDeque<>())
                        .add(output.async(LIMIT, TimeoutFallback.SUCCESS));
            }
        }
    }

    private void letOneOfEachThrough() {
        List<Async<PublishInboundOutput>> toResume = new ArrayList<>();
        synchronized (this) {
            held.values().forEach(queue -> {
                Async<PublishInboundOutput> oldest = queue.poll();
                if (oldest != null) {
                    toResume.add(oldest);
                }
            });
        }
        toResume.forEach(Async::resume);
    }
}
