package serverless.examples.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PublishPace} against the clock. Each publish happens somewhere inside its {@code awaitTurn()} call,
 * so the test bounds it by {@code System.nanoTime()} just before the call and just after it returns: the
 * gap between two publishes is at least (after the second return) - (before the first call).
 */
@Timeout(30)
class PublishPaceTest {

    @Test
    void noTwoPublishesAreCloserThanOneOverTheRate() throws InterruptedException {
        int rate = 50; // a 20 ms gap keeps the test short
        long gap = TimeUnit.SECONDS.toNanos(1) / rate;
        PublishPace pace = new PublishPace(rate);
        int publishes = 11;
        long[] before = new long[publishes];
        long[] after = new long[publishes];
        for (int i = 0; i < publishes; i++) {
            before[i] = System.nanoTime();
            pace.awaitTurn();
            after[i] = System.nanoTime();
        }
        for (int i = 1; i < publishes; i++) {
            assertTrue(after[i] - before[i - 1] >= gap,
                    "publishes " + i + " and " + (i + 1) + " within " + (after[i] - before[i - 1]) + " ns");
        }
        assertTrue(after[publishes - 1] - before[0] >= (publishes - 1) * gap);
    }

    @Test
    void theFirstPublishGoesAtOnce() throws InterruptedException {
        PublishPace pace = new PublishPace(1); // a one-second gap, which a first publish must not wait for
        long before = System.nanoTime();
        pace.awaitTurn();
        assertTrue(System.nanoTime() - before < Duration.ofMillis(500).toNanos());
    }

    @Test
    void afterAStallTheNextPublishGoesAtOnceAndTheOneAfterWaitsAFullGap() throws InterruptedException {
        int rate = 4; // a 250 ms gap
        long gap = TimeUnit.SECONDS.toNanos(1) / rate;
        PublishPace pace = new PublishPace(rate);
        pace.awaitTurn();
        TimeUnit.NANOSECONDS.sleep(3 * gap); // a stall (a full window, a reconnect) worth three publishes

        long beforeNext = System.nanoTime();
        pace.awaitTurn();
        long afterNext = System.nanoTime();
        pace.awaitTurn();
        long afterTheOneAfter = System.nanoTime();

        assertTrue(afterNext - beforeNext < gap, "the first publish after the stall waited");
        assertTrue(afterTheOneAfter - beforeNext >= gap, "the stall's unused turns were spent in a burst");
    }

    @Test
    void zeroTurnsPacingOff() throws InterruptedException {
        PublishPace pace = new PublishPace(0);
        long before = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            pace.awaitTurn();
        }
        // Paced at any rate, 10,000 publishes would take far longer than a second.
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(1).toNanos());
    }
}
