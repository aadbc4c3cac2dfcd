package serverless.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One MQTT 3.1.1 connection of the floor (MQTT 3.1.1, OASIS standard, section 3): CONNECT/CONNACK,
 * SUBSCRIBE/SUBACK, PUBLISH at QoS 0 and 1 with PUBACK both ways, DISCONNECT. Nothing else: no session state,
 * no resending, no keep-alive pings (a run is far shorter than the 60 s keep-alive it announces).
 *
 * <p>Two threads besides the caller's: a reader, and a writer that sends whatever packets are queued in one TLS
 * write and one flush. Under load that puts several packets in one TLS record and one system call, as Netty's
 * event loop does for the library stacks; when idle, each packet still goes out at once.
 */
final class FloorConnection implements BenchConnection {

    private static final int CONNECT = 1, CONNACK = 2, PUBLISH = 3, PUBACK = 4, SUBSCRIBE = 8, SUBACK = 9,
            DISCONNECT = 14;
    private static final int KEEP_ALIVE_SECONDS = 60;
    /** Queued after DISCONNECT: tells the writer thread to stop. */
    private static final byte[] CLOSE = new byte[0];

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Deliveries deliveries;
    private final Thread reader;
    private final Thread writer;
    private final BlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();
    private volatile CompletableFuture<Integer> subAck;
    private volatile boolean closing;
    private int nextPacketId;

    private FloorConnection(SSLSocket socket, Deliveries deliveries) throws IOException {
        this.socket = socket;
        // Buffered so that a packet is one write to TLS (one record), flushed at once.
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16384));
        this.deliveries = deliveries;
        this.reader = new Thread(this::readPackets, "floor-reader");
        this.reader.setDaemon(true);
        this.writer = new Thread(this::writePackets, "floor-writer");
        this.writer.setDaemon(true);
    }

    /** Sends CONNECT on a TLS socket whose handshake is done, and returns once CONNACK accepted it. */
    static FloorConnection open(SSLSocket socket, String clientId, String username, String password,
            Deliveries deliveries) throws IOException {
        FloorConnection connection = new FloorConnection(socket, deliveries);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4); // protocol level: 3.1.1
        body.write(0x80 | 0x40 | 0x02); // user name, password, clean session
        body.write(KEEP_ALIVE_SECONDS >> 8);
        body.write(KEEP_ALIVE_SECONDS & 0xFF);
        writeString(body, clientId);
        writeString(body, username);
        writeString(body, password);
        connection.writeNow(packet(CONNECT << 4, body.toByteArray()));
        // The socket's read timeout (set by FloorClient) bounds the wait for CONNACK.
        int header = connection.in.readUnsignedByte();
        byte[] connAck = connection.readBody();
        if (header >> 4 != CONNACK || connAck.length != 2) {
            throw new IOException("expected CONNACK, got packet type " + (header >> 4));
        }
        if (connAck[1] != 0) {
            throw new IOException("CONNACK refused the connection: return code " + connAck[1]);
        }
        socket.setSoTimeout(0); // from here on the reader waits as long as the connection lives
        connection.reader.start();
        connection.writer.start();
        return connection;
    }

    @Override
    public void subscribe(String topic, int qos) throws Exception {
        CompletableFuture<Integer> granted = new CompletableFuture<>();
        subAck = granted;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int packetId = packetId();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        writeString(body, topic);
        body.write(qos);
        send(SUBSCRIBE << 4 | 0x02, body.toByteArray()); // SUBSCRIBE's fixed header flags are 0010
        int code = granted.get(10, TimeUnit.SECONDS);
        if (code == 0x80) {
            throw new IOException("SUBACK refused the subscription to " + topic);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos) {
        byte[] name = topic.getBytes(UTF_8);
        byte[] body = new byte[2 + name.length + (qos > 0 ? 2 : 0) + payload.length];
        body[0] = (byte) (name.length >> 8);
        body[1] = (byte) name.length;
        System.arraycopy(name, 0, body, 2, name.length);
        int at = 2 + name.length;
        if (qos > 0) {
            int packetId = packetId();
            body[at++] = (byte) (packetId >> 8);
            body[at++] = (byte) packetId;
        }
        System.arraycopy(payload, 0, body, at, payload.length);
        send(PUBLISH << 4 | qos << 1, body);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        try {
            send(DISCONNECT << 4, new byte[0]);
            outgoing.add(CLOSE);
            writer.join(10_000); // everything queued, DISCONNECT last, is sent before the socket closes
        } finally {
            socket.close();
        }
    }

    /** The writer thread: takes every queued packet, writes them all, flushes once. */
    private void writePackets() {
        try {
            while (true) {
                byte[] packet = outgoing.take();
                do {
                    if (packet == CLOSE) {
                        out.flush();
                        return;
                    }
                    out.write(packet);
                } while ((packet = outgoing.poll()) != null);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            if (!closing) {
                deliveries.failed(e);
            }
        }
    }

    /** The reader thread: every packet the broker sends, until the socket closes. */
    private void readPackets() {
        try {
            while (true) {
                int header = in.readUnsignedByte();
                byte[] body = readBody();
                switch (header >> 4) {
                    case PUBLISH -> received(header, body);
                    case PUBACK -> deliveries.acknowledged();
                    case SUBACK -> subAck.complete(body[2] & 0xFF);
                    default -> { } // PINGRESP and the like: nothing to do
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                deliveries.failed(e instanceof EOFException ? new IOException("the broker closed the connection") : e);
            }
        }
    }

    private void received(int header, byte[] body) {
        int qos = (header >> 1) & 0x03;
        int topicLength = (body[0] & 0xFF) << 8 | (body[1] & 0xFF);
        int at = 2 + topicLength;
        if (qos > 0) {
            // Acknowledged at once, as every stack does after handing the message over.
            send(PUBACK << 4, new byte[] {body[at], body[at + 1]});
            at += 2;
        }
        byte[] payload = new byte[body.length - at];
        System.arraycopy(body, at, payload, 0, payload.length);
        deliveries.received(payload);
    }

    /** The remaining length (1 to 4 bytes, 7 bits each) and the bytes it counts. */
    private byte[] readBody() throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    /** Queues one packet for the writer thread. */
    private void send(int header, byte[] body) {
        outgoing.add(packet(header, body));
    }

    /** CONNECT goes out before the writer thread starts. */
    private void writeNow(byte[] packet) throws IOException {
        out.write(packet);
        out.flush();
    }

    /** One packet: fixed header, remaining length (1 to 4 bytes, 7 bits each), body. */
    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        int length = body.length;
        do {
            int digit = length & 0x7F;
            length >>>= 7;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body, 0, body.length);
        return packet.toByteArray();
    }

    private synchronized int packetId() {
        nextPacketId = nextPacketId % 65535 + 1; // 1..65535, never 0
        return nextPacketId;
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.write(bytes, 0, bytes.length);
    }
}
