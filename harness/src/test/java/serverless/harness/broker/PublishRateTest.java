package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import serverless.harness.broker.PublishRate.ConnectionRate;

/** The token buckets behind the publish rate, one per connection, on a clock the test moves. */
class PublishRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PublishRate rate = new PublishRate(now::get);

    @Test
    void aNewConnectionMayPublishTenAtOnceAndNotAnEleventh() {
        ConnectionRate connection = rate.forNewConnection("a");
        assertEquals(10, admitted(connection, 10));
        assertFalse(connection.admit());
    }

    @Test
    void oneTokenComesBackEveryTenthOfASecond() {
        ConnectionRate connection = rate.forNewConnection("a");
        admitted(connection, 10);
        advanceMillis(99);
        assertFalse(connection.admit());
        advanceMillis(1);
        assertTrue(connection.admit());
        assertFalse(connection.admit());
        advanceMillis(500);
        assertEquals(5, admitted(connection, 20));
    }

    @Test
    void tenAtMostAccumulateHoweverLongTheConnectionWaits() {
        ConnectionRate connection = rate.forNewConnection("a");
        admitted(connection, 10);
        advanceMillis(60_000);
        assertEquals(10, admitted(connection, 20));
    }

    /** As in EMQX, where the bucket is the channel's: the clock does not move, yet the new connection has ten. */
    @Test
    void aClientThatConnectsAgainStartsWithAFullBucketAtOnce() {
        ConnectionRate first = rate.forNewConnection("a");
        assertEquals(10, admitted(first, 20));
        ConnectionRate again = rate.forNewConnection("a");
        assertEquals(10, admitted(again, 20), "a new connection of the same client id has a full bucket");
        assertFalse(first.admit(), "the old connection's bucket is still empty");
    }

    @Test
    void connectionsOfDifferentClientIdsHaveSeparateBuckets() {
        ConnectionRate a = rate.forNewConnection("a");
        ConnectionRate b = rate.forNewConnection("b");
        assertEquals(10, admitted(a, 20));
        assertEquals(10, admitted(b, 20), "b's bucket is full after a spent its own");
        advanceMillis(300);
        assertEquals(3, admitted(a, 20), "a refills at its own pace, whatever b took");
        assertEquals(3, admitted(b, 20));
    }

    @Test
    void aLiftedClientIsNeverOverTheRateOnAnyOfItsConnectionsAndTheOthersStillAre() {
        ConnectionRate alreadyOpen = rate.forNewConnection("fast");
        assertEquals(10, admitted(alreadyOpen, 20));
        rate.lift(List.of("fast"));
        assertEquals(1000, admitted(alreadyOpen, 1000), "the lift reaches a connection already open");
        assertEquals(1000, admitted(rate.forNewConnection("fast"), 1000));
        assertEquals(10, admitted(rate.forNewConnection("slow"), 20));
    }

    private static int admitted(ConnectionRate connection, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            admitted += connection.admit() ? 1 : 0;
        }
        return admitted;
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
