package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subscription count and the level count on their own; LocalBrokerQuotasIT shows them on the wire. */
class SubscriptionQuotaTest {

    private final SubscriptionQuota quota = new SubscriptionQuota();

    @ParameterizedTest(name = "{0} has {1} levels")
    @CsvSource({
        "a, 1",
        "a/b, 2",
        "/a, 2",
        "a/b/, 3",
        "a/+/#, 3",
        "$SYS/broker, 2",
        "$share/group/a/b, 2",
        "$share/group, 1",
    })
    void levelsAreCountedAsEmqxCountsThem(String filter, int levels) {
        assertEquals(levels, SubscriptionQuota.levels(filter));
    }

    @Test
    void tenLevelsAreWithinTheQuotaAndElevenAreNot() {
        assertEquals(Optional.empty(), quota.subscribe("c", "1/2/3/4/5/6/7/8/9/10"));
        assertEquals(Optional.of(Quota.TOPIC_LEVELS), quota.subscribe("c", "1/2/3/4/5/6/7/8/9/10/11"));
    }

    @Test
    void theEleventhFilterIsOverTheQuotaButATenthAgainIsNot() {
        subscribeTen("c");
        assertEquals(Optional.of(Quota.SUBSCRIPTIONS), quota.subscribe("c", "f/10"));
        assertEquals(Optional.empty(), quota.subscribe("c", "f/3"), "not a new subscription");
    }

    @Test
    void aRefusedFilterDoesNotCount() {
        quota.subscribe("c", "1/2/3/4/5/6/7/8/9/10/11");
        IntStream.range(0, 10).forEach(i -> assertEquals(Optional.empty(), quota.subscribe("c", "f/" + i)));
    }

    @Test
    void unsubscribingFreesOneAndFiltersNeverHeldAreIgnored() {
        subscribeTen("c");
        quota.unsubscribe("c", List.of("f/4", "never/held"));
        assertEquals(Optional.empty(), quota.subscribe("c", "f/10"));
        assertEquals(Optional.of(Quota.SUBSCRIPTIONS), quota.subscribe("c", "f/11"));
    }

    @Test
    void aNewSessionHoldsNothingAndAKeptOneWhatTheBrokerKept() {
        subscribeTen("c");
        quota.sessionStarted("c", Set.of());
        subscribeTen("c");
        quota.sessionStarted("c", Set.of("kept/1", "kept/2"));
        IntStream.range(0, 8).forEach(i -> assertEquals(Optional.empty(), quota.subscribe("c", "g/" + i)));
        assertEquals(Optional.of(Quota.SUBSCRIPTIONS), quota.subscribe("c", "g/8"));
    }

    @Test
    void eachClientCountsItsOwn() {
        subscribeTen("c");
        assertEquals(Optional.empty(), quota.subscribe("d", "f/10"));
    }

    private void subscribeTen(String clientId) {
        IntStream.range(0, 10).forEach(i -> assertEquals(Optional.empty(), quota.subscribe(clientId, "f/" + i)));
    }
}
