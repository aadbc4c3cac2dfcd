package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pace is checked with System.nanoTime bounds taken around the calls: a publish the pace counts happens
 * between the time read before {@code published()} and the time read after it.
 */
class PublishPaceTest {

    private static final long INTERVAL_AT_20_PER_SECOND = TimeUnit.MILLISECONDS.toNanos(50);

    /** What the example does on the event loop with a timer, done here with a sleep: wait, then publish. */
    private static long[] publishAtThePace(PublishPace pace, int messages) throws InterruptedException {
        long[] before = new long[messages];
        for (int i = 0; i < messages; i++) {
            long wait;
            while ((wait = pace.nanosUntilNext()) > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            before[i] = System.nanoTime();
            pace.published();
        }
        return before;
    }

    @Test
    void theFirstMessageMayGoAtOnce() {
        assertEquals(0, new PublishPace(1).nanosUntilNext());
    }

    @Test
    void noTwoPublishesCloserThanOneOverTheRate() throws InterruptedException {
        long[] before = publishAtThePace(new PublishPace(20), 6);

        // A message may go once nanosUntilNext() is 0, i.e. one interval after the previous published().
        for (int i = 1; i < before.length; i++) {
            long apart = before[i] - before[i - 1];
            assertTrue(apart >= INTERVAL_AT_20_PER_SECOND, "publish " + i + " went " + apart + " ns after the one before");
        }
    }

    @Test
    void rightAfterAPublishTheNextWaitsOneIntervalAtMost() {
        PublishPace pace = new PublishPace(1);
        long before = System.nanoTime();
        pace.published();
        long wait = pace.nanosUntilNext();
        long after = System.nanoTime();

        assertTrue(wait <= TimeUnit.SECONDS.toNanos(1), "waits " + wait + " ns");
        assertTrue(wait >= TimeUnit.SECONDS.toNanos(1) - (after - before), "waits only " + wait + " ns");
    }

    @Test
    void afterAStallThereIsNoBurstToCatchUp() throws InterruptedException {
        PublishPace pace = new PublishPace(20);
        pace.published();
        Thread.sleep(300); // a stall of six intervals, e.g. a full window: no credit for them

        assertEquals(0, pace.nanosUntilNext(), "the message after a stall goes at once");
        long before = System.nanoTime();
        pace.published();
        long wait = pace.nanosUntilNext();
        long after = System.nanoTime();

        assertTrue(wait >= INTERVAL_AT_20_PER_SECOND - (after - before),
                "the one after it may go in " + wait + " ns, not a whole interval");
    }

    @Test
    void zeroTurnsPacingOff() {
        PublishPace pace = new PublishPace(0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, pace.nanosUntilNext());
            pace.published();
        }
    }
}
