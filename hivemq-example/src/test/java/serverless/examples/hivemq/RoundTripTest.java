package serverless.examples.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RoundTripTest {

    @Test
    void withPacingTheWindowIsOneSecondsWorthOfMessages() {
        assertEquals(5, RoundTrip.window(100, 10)); // the resent window and the next one leave 4 of the bucket of 10
        assertEquals(1, RoundTrip.window(100, 1));
        assertEquals(100, RoundTrip.window(100, 500));
        assertEquals(100, RoundTrip.window(100, 0));
    }

    @Test
    void aFailedPublishEndsTheRunBeforeTheNextMessageGoesOut() throws Exception {
        RoundTrip roundTrip = new RoundTrip("hivemq-3f2a9c1d", 10, 5);
        roundTrip.awaitRoomToSend();
        roundTrip.awaitRoomToSend();
        RuntimeException refused = new RuntimeException("PUBACK contained an Error Code");
        roundTrip.published(2, refused);

        RoundTrip.NotPublished error = assertThrows(RoundTrip.NotPublished.class, roundTrip::awaitRoomToSend);
        assertEquals(2, error.number());
        assertSame(refused, error.getCause());
    }
}
