package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    /**
     * Across a broker restart the connector swallowed sends: their futures never completed. Such a message must
     * be sent again, or the run would wait for it until it reports it missing.
     */
    @Test
    void aSendTheConnectorNeverAnswersIsSentAgain() throws Exception {
        RoundTrip roundTrip = new RoundTrip();
        roundTrip.unansweredSend = Duration.ofMillis(200);
        SwallowingEmitter emitter = new SwallowingEmitter(roundTrip, "m2");
        roundTrip.out = emitter;
        ConnectionWatch connection = new ConnectionWatch();
        connection.subscription("SUBSCRIBED", 1);

        roundTrip.publishAll(List.of("m1", "m2", "m3"), 0, connection).get(10, TimeUnit.SECONDS);
        roundTrip.allReceived().get(10, TimeUnit.SECONDS);

        assertEquals(Map.of("m1", 1, "m2", 2, "m3", 1), emitter.sends, "m2 sent again, once");
        assertEquals(0, roundTrip.duplicates());
    }

    /** Answers every send at once, as written, and hands the message back; the first send of one it swallows. */
    private static final class SwallowingEmitter implements Emitter<String> {
        private final RoundTrip roundTrip;
        private final String swallowedOnce;
        final Map<String, Integer> sends = new ConcurrentHashMap<>();

        SwallowingEmitter(RoundTrip roundTrip, String swallowedOnce) {
            this.roundTrip = roundTrip;
            this.swallowedOnce = swallowedOnce;
        }

        @Override
        public CompletionStage<Void> send(String payload) {
            if (sends.merge(payload, 1, Integer::sum) == 1 && payload.equals(swallowedOnce)) {
                return new CompletableFuture<>(); // never completes
            }
            roundTrip.received(payload);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public <M extends Message<? extends String>> void send(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
