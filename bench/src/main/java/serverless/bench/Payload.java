package serverless.bench;

import java.nio.ByteBuffer;

/**
 * A message of {@value #SIZE} bytes that says which one it is and when it was due to be sent, so the receiving
 * side needs no lookup: the sequence number counts it, the time gives its round trip (same JVM, same clock).
 */
final class Payload {

    static final int SIZE = 256;

    private Payload() {
    }

    static byte[] of(int sequence, long dueNanos) {
        byte[] payload = new byte[SIZE];
        ByteBuffer.wrap(payload).putInt(sequence).putLong(dueNanos);
        return payload;
    }

    static int sequence(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    static long dueNanos(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong(4);
    }
}
