package serverless.bench;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The same work for every stack, on one client id and a topic of its own: connect times, then throughput at QoS 0
 * and QoS 1, then latency at a fixed rate. Every measurement opens its own connection.
 */
final class Workload {

    /** Histograms in microseconds, up to an hour, 3 significant digits. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final BenchClient client;
    private final String clientId;
    private final BenchSettings settings;
    private int measurement;

    Workload(BenchClient client, String clientId, BenchSettings settings) {
        this.client = client;
        this.clientId = clientId;
        this.settings = settings;
    }

    /** Warm-up: the same code paths as the measurements, so the JIT has compiled them before they count. */
    void warmUp() throws Exception {
        if (settings.warmupMessages() == 0) {
            return;
        }
        connectTimes(Math.min(settings.connects(), 10));
        throughput(0, settings.warmupMessages());
        throughput(1, settings.warmupMessages());
        latency(Math.min(settings.latencyMessages(), settings.warmupMessages() / 4 + 1));
    }

    /** {@code count} fresh connections, one after the other: TCP, TLS handshake, CONNECT and CONNACK. */
    Histogram connectTimes(int count) throws Exception {
        Histogram micros = new Histogram(HIGHEST_MICROS, 3);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            BenchConnection connection = client.connect(clientId + "-c" + i, Deliveries.NONE);
            micros.recordValue((System.nanoTime() - start) / 1000);
            connection.close();
        }
        return micros;
    }

    /** Messages a second: {@code messages} published and received back on one connection, within the window. */
    double throughput(int qos, int messages) throws Exception {
        Window window = new Window(messages, qos, payload -> { });
        try (BenchConnection connection = client.connect(clientId, window)) {
            String topic = topic();
            connection.subscribe(topic, qos);
            window.open(Math.min(settings.window(), connection.sendLimit()));
            Pace pace = new Pace(settings.publishRate());
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                window.awaitRoom();
                pace.awaitTurn();
                connection.publish(topic, Payload.of(i, System.nanoTime()), qos);
                window.published();
            }
            window.awaitAll();
            return messages / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Round trips at QoS 1, at {@code BENCH_LATENCY_RATE} a second, below every stack's throughput. Each is taken
     * from the time its message was due, not when it went out: a stack that falls behind pays for the wait too.
     */
    Histogram latency(int messages) throws Exception {
        Histogram micros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Window window = new Window(messages, 1,
                payload -> micros.recordValue(Math.max(0, (System.nanoTime() - Payload.dueNanos(payload)) / 1000)));
        try (BenchConnection connection = client.connect(clientId, window)) {
            String topic = topic();
            connection.subscribe(topic, 1);
            window.open(Math.min(settings.window(), connection.sendLimit()));
            long interval = 1_000_000_000L / settings.latencyRate();
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                long due = start + i * interval;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                window.awaitRoom();
                connection.publish(topic, Payload.of(i, due), 1);
            }
            window.awaitAll();
        }
        return micros;
    }

    /** A topic of its own for every measurement, so nothing left over from the last one can arrive. */
    private String topic() {
        return "bench/" + clientId + "/" + measurement++;
    }

    /** No two publishes closer than 1/rate s (MQTT_PUBLISH_RATE; Serverless: 10 a second); rate 0: no pacing. */
    private static final class Pace {
        private final long interval;
        private long next = System.nanoTime();

        Pace(int rate) {
            this.interval = rate == 0 ? 0 : 1_000_000_000L / rate;
        }

        void awaitTurn() {
            if (interval == 0) {
                return;
            }
            for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            next = Math.max(next, System.nanoTime() - interval) + interval;
        }
    }
}
