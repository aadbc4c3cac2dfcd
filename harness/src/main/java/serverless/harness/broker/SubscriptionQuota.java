package serverless.harness.broker;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serverless' subscription quotas, decided as EMQX decides them for each topic filter of a SUBSCRIBE in turn: first
 * the filter's levels (more than {@link Quota#TOPIC_LEVELS}: refused), then the count (a filter the client does
 * not hold yet, while it holds {@link Quota#SUBSCRIPTIONS} already: refused; subscribing again to one it holds is
 * not new, and is granted even then).
 *
 * <p>It keeps each client's filters itself, because HiveMQ stores a SUBSCRIBE's filters only once all of them are
 * decided, too late for the second filter of the same SUBSCRIBE. It is told when a session starts (empty, or, for a
 * session the broker kept, the filters HiveMQ holds for it) and what a client unsubscribes.
 */
final class SubscriptionQuota {

    private static final String SHARED_PREFIX = "$share/";

    private final Map<String, Set<String>> filtersByClient = new HashMap<>();

    /** The quota a subscription to {@code filter} goes over, if any; if none, the client holds it from now on. */
    synchronized Optional<Quota> subscribe(String clientId, String filter) {
        if (levels(filter) > Quota.TOPIC_LEVELS.limit()) {
            return Optional.of(Quota.TOPIC_LEVELS);
        }
        Set<String> filters = filtersByClient.computeIfAbsent(clientId, id -> new HashSet<>());
        if (!filters.contains(filter) && filters.size() >= Quota.SUBSCRIPTIONS.limit()) {
            return Optional.of(Quota.SUBSCRIPTIONS);
        }
        filters.add(filter);
        return Optional.empty();
    }

    /** The client no longer holds these filters (those it never held are ignored). */
    synchronized void unsubscribe(String clientId, Collection<String> filters) {
        Set<String> held = filtersByClient.get(clientId);
        if (held != null) {
            held.removeAll(filters);
        }
    }

    /** A connection was accepted with this session: a new one holds nothing, a kept one what the broker kept. */
    synchronized void sessionStarted(String clientId, Set<String> keptFilters) {
        filtersByClient.put(clientId, new HashSet<>(keptFilters));
    }

    /**
     * A filter's levels as EMQX counts them: the parts between slashes, empty ones too ({@code a/b/} has 3); of a
     * shared subscription {@code $share/<group>/<filter>}, those of the filter.
     */
    static int levels(String filter) {
        String topic = filter;
        if (topic.startsWith(SHARED_PREFIX)) {
            int groupEnd = topic.indexOf('/', SHARED_PREFIX.length());
            topic = groupEnd < 0 ? "" : topic.substring(groupEnd + 1);
        }
        return (int) topic.chars().filter(c -> c == '/').count() + 1;
    }
}
