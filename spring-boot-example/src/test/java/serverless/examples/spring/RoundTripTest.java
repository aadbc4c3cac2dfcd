package serverless.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A PUBACK refusing a message for the publish rate ends the run at once, not after the 20 s stall limit. */
@Timeout(5)
class RoundTripTest {

    @Test
    void aRefusalEndsTheNextWaitForRoomEvenWhenTheWindowHasRoom() throws Exception {
        RoundTrip roundTrip = new RoundTrip("spring-00000000", 30);
        roundTrip.awaitRoom(100);
        roundTrip.refused(1, 0x97);

        RoundTrip.Refused refused = assertThrows(RoundTrip.Refused.class, () -> roundTrip.awaitRoom(100));
        assertEquals(1, refused.message);
        assertEquals(0x97, refused.reasonCode);
    }

    @Test
    void aRefusalWakesAWaitingThreadAndKeepsTheFirstMessageRefused() throws Exception {
        RoundTrip roundTrip = new RoundTrip("spring-00000000", 30);
        roundTrip.awaitRoom(100);
        Thread callback = new Thread(() -> {
            roundTrip.refused(1, 0x97);
            roundTrip.refused(2, 0x97);
        });
        callback.start();

        RoundTrip.Refused refused = assertThrows(RoundTrip.Refused.class, roundTrip::awaitAllAcknowledged);
        assertEquals(1, refused.message);
        callback.join();
    }

    @Test
    void pacedTheWindowHoldsNoMoreThanOneSecondsWorth() {
        assertEquals(5, RoundTrip.window(100, 10)); // the resent window and the next one leave 4 of the bucket of 10
        assertEquals(3, RoundTrip.window(3, 10));
        assertEquals(100, RoundTrip.window(100, 0)); // no pacing: the whole window
    }
}
