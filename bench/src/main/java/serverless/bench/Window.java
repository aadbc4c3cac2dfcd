package serverless.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * The in-flight window, the same for every stack: at most {@code size} messages sent and not yet acknowledged, and
 * at most {@code size} sent and not yet back. It also counts what came back (each message once, should the broker
 * send one again) and ends the wait with an error when the connection fails or nothing happens for 20 s.
 */
final class Window implements Deliveries {

    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final int messages;
    private final int qos;
    private final Consumer<byte[]> onReceived;
    private final AtomicIntegerArray back;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final Semaphore unacknowledgedRoom = new Semaphore(0);
    private final Semaphore notBackRoom = new Semaphore(0);
    private volatile Throwable failure;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean done;

    Window(int messages, int qos, Consumer<byte[]> onReceived) {
        this.messages = messages;
        this.qos = qos;
        this.onReceived = onReceived;
        this.back = new AtomicIntegerArray(messages);
    }

    /** Opens the window once the connection is up (its size may depend on the broker's Receive Maximum). */
    void open(int size) {
        unacknowledgedRoom.release(size);
        notBackRoom.release(size);
    }

    /** Waits until one more message may be sent. */
    void awaitRoom() throws Exception {
        acquire(unacknowledgedRoom);
        acquire(notBackRoom);
    }

    /** Call after each publish: a QoS 0 message is done on the sender's side once sent. */
    void published() {
        if (qos == 0) {
            unacknowledgedRoom.release();
        }
    }

    /** Waits until every message is back (and, at QoS 1, acknowledged). */
    void awaitAll() throws Exception {
        while (received.get() < messages || (qos > 0 && acknowledged.get() < messages)) {
            checkProgress();
            Thread.sleep(1);
        }
        done = true;
    }

    @Override
    public void received(byte[] payload) {
        int sequence = Payload.sequence(payload);
        if (sequence >= 0 && sequence < messages && back.compareAndSet(sequence, 0, 1)) {
            onReceived.accept(payload);
            received.incrementAndGet();
            lastProgress = System.nanoTime();
            notBackRoom.release();
        }
    }

    @Override
    public void acknowledged() {
        acknowledged.incrementAndGet();
        lastProgress = System.nanoTime();
        unacknowledgedRoom.release();
    }

    @Override
    public void failed(Throwable error) {
        if (!done && failure == null) {
            failure = error;
        }
    }

    private void acquire(Semaphore room) throws Exception {
        while (!room.tryAcquire(10, TimeUnit.MILLISECONDS)) {
            checkProgress();
        }
    }

    private void checkProgress() throws Exception {
        if (failure != null) {
            throw new IllegalStateException("the connection failed: " + failure, failure);
        }
        if (System.nanoTime() - lastProgress > STALL_NANOS) {
            throw new TimeoutException("nothing new for 20 s: " + received.get() + " of " + messages
                    + " messages back, " + acknowledged.get() + " acknowledged (QoS " + qos + ")");
        }
    }
}
