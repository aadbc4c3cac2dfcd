package serverless.examples.paho;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When to try reconnecting: 1 s after the connection drops, then 2 s after a failed attempt, then every 4 s
 * until one succeeds. Attempts run on a timer thread of their own; {@link #close()} cancels what is pending.
 *
 * <p>Short on purpose: a Serverless deployment that restarts is back within seconds. With many clients,
 * add random jitter so they do not all reconnect at the same moment.
 */
final class Backoff implements AutoCloseable {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "mqtt-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration firstDelay;
    private final Duration maxDelay;
    private Duration next;

    Backoff() {
        this(FIRST_DELAY);
    }

    /** Starting at {@code firstDelay} and doubling up to four times that: shorter for tests. */
    Backoff(Duration firstDelay) {
        this.firstDelay = firstDelay;
        this.maxDelay = firstDelay.multipliedBy(4);
        this.next = firstDelay;
    }

    /** Runs {@code attempt} after the current delay and doubles the delay for the next one (up to 4 s). */
    synchronized void schedule(Runnable attempt) {
        if (timer.isShutdown()) {
            return; // the run is over: no more reconnects
        }
        timer.schedule(attempt, next.toMillis(), TimeUnit.MILLISECONDS);
        next = next.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : next.multipliedBy(2);
    }

    /** Runs {@code task} once after {@code delay} on the same timer, without touching the back-off. */
    synchronized void after(Duration delay, Runnable task) {
        if (!timer.isShutdown()) {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Connected again: the next drop starts over at 1 s. */
    synchronized void reset() {
        next = firstDelay;
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
    }
}
