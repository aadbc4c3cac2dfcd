package serverless.examples.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RoundTripTest {

    @Test
    void pacedTheWindowHoldsHalfASecondsWorth() {
        // What a stalled broker takes in together afterwards is at most the window: 5 of Serverless' bucket of 10.
        assertEquals(5, RoundTrip.window(10));
        assertEquals(1, RoundTrip.window(1)); // never none: the run must go on
        assertEquals(RoundTrip.WINDOW, RoundTrip.window(1000)); // never above what maxInflightQueue allows
    }

    @Test
    void unpacedTheWholeWindow() {
        assertEquals(RoundTrip.WINDOW, RoundTrip.window(0)); // no rate to keep to: throughput
    }
}
