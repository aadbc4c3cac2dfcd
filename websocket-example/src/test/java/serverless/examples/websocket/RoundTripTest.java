package serverless.examples.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failed publish (a PUBACK refusing it) ends the run at once, not after the 20 s stall limit. */
@Timeout(5)
class RoundTripTest {

    @Test
    void aFailedPublishEndsTheNextWaitForRoomEvenWhenTheWindowHasRoom() throws Exception {
        RoundTrip roundTrip = new RoundTrip("hivemq-ws-00000000", 30);
        roundTrip.awaitRoom(100);
        Exception refusal = new Exception("PUBACK 0x97");
        roundTrip.failed(1, refusal);

        RoundTrip.NotPublished failed = assertThrows(RoundTrip.NotPublished.class, () -> roundTrip.awaitRoom(100));
        assertEquals(1, failed.message);
        assertSame(refusal, failed.getCause());
    }

    @Test
    void aFailedPublishWakesAWaitingThreadAndKeepsTheFirstMessage() throws Exception {
        RoundTrip roundTrip = new RoundTrip("hivemq-ws-00000000", 30);
        roundTrip.awaitRoom(100);
        Thread callback = new Thread(() -> {
            roundTrip.failed(1, new Exception("first"));
            roundTrip.failed(2, new Exception("second"));
        });
        callback.start();

        RoundTrip.NotPublished failed = assertThrows(RoundTrip.NotPublished.class, roundTrip::awaitAllAcknowledged);
        assertEquals(1, failed.message);
        callback.join();
    }

    @Test
    void pacedTheWindowHoldsNoMoreThanOneSecondsWorth() {
        assertEquals(5, RoundTrip.window(100, 10)); // the resent window and the next one leave 4 of the bucket of 10
        assertEquals(3, RoundTrip.window(3, 10));
        assertEquals(100, RoundTrip.window(100, 0)); // no pacing: the whole window
    }
}
