package serverless.examples.hivemq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pace is checked with System.nanoTime bounds taken around the calls: the publish a call counts happens
 * between the time read before it and the time read after it.
 */
class PublishPaceTest {

    private static final long INTERVAL_AT_20_PER_SECOND = TimeUnit.MILLISECONDS.toNanos(50);

    @Test
    void noTwoPublishesCloserThanOneOverTheRate() throws InterruptedException {
        PublishPace pace = new PublishPace(20);
        int calls = 6;
        long[] before = new long[calls];
        long[] after = new long[calls];
        for (int i = 0; i < calls; i++) {
            before[i] = System.nanoTime();
            pace.awaitTurn();
            after[i] = System.nanoTime();
        }

        for (int i = 1; i < calls; i++) {
            long atLeast = after[i] - before[i - 1];
            assertTrue(atLeast >= INTERVAL_AT_20_PER_SECOND, "publish " + i + " came " + atLeast + " ns after the one before");
        }
        assertTrue(after[calls - 1] - before[0] >= (calls - 1) * INTERVAL_AT_20_PER_SECOND, "5 intervals of 50 ms");
    }

    @Test
    void theFirstPublishGoesAtOnce() throws InterruptedException {
        PublishPace pace = new PublishPace(1);
        long start = System.nanoTime();
        pace.awaitTurn();
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "waited before the first publish");
    }

    @Test
    void afterAStallThereIsNoBurstToCatchUp() throws InterruptedException {
        PublishPace pace = new PublishPace(20);
        pace.awaitTurn();
        Thread.sleep(300); // a stall of six intervals, e.g. a full window: no credit for them

        long beforeSecond = System.nanoTime();
        pace.awaitTurn();
        pace.awaitTurn();
        long afterThird = System.nanoTime();

        assertTrue(afterThird - beforeSecond >= INTERVAL_AT_20_PER_SECOND,
                "the publish after the one that ended the stall came " + (afterThird - beforeSecond) + " ns after it");
    }

    @Test
    void zeroTurnsPacingOff() throws InterruptedException {
        PublishPace pace = new PublishPace(0);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            pace.awaitTurn();
        }
        // At 10 per second 1000 publishes would take 100 s.
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "pacing was not off");
    }
}
