package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket behind the publish rate, on a clock the test moves. */
class PublishRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PublishRate rate = new PublishRate(now::get);

    @Test
    void aNewClientMayPublishTenAtOnceAndNotAnEleventh() {
        assertEquals(10, admitted("a", 10));
        assertFalse(rate.admit("a"));
    }

    @Test
    void oneTokenComesBackEveryTenthOfASecond() {
        admitted("a", 10);
        advanceMillis(99);
        assertFalse(rate.admit("a"));
        advanceMillis(1);
        assertTrue(rate.admit("a"));
        assertFalse(rate.admit("a"));
        advanceMillis(500);
        assertEquals(5, admitted("a", 20));
    }

    @Test
    void tenAtMostAccumulateHoweverLongTheClientWaits() {
        admitted("a", 10);
        advanceMillis(60_000);
        assertEquals(10, admitted("a", 20));
    }

    @Test
    void eachClientIdHasABucketOfItsOwn() {
        admitted("a", 10);
        assertEquals(10, admitted("b", 20));
    }

    @Test
    void aLiftedClientIsNeverOverTheRateAndTheOthersStillAre() {
        rate.lift(List.of("fast"));
        assertEquals(1000, admitted("fast", 1000));
        assertEquals(10, admitted("slow", 20));
    }

    private int admitted(String clientId, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            admitted += rate.admit(clientId) ? 1 : 0;
        }
        return admitted;
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
