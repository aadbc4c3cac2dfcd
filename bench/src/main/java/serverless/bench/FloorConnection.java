package serverless.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One MQTT 3.1.1 connection of the floor (MQTT 3.1.1, OASIS standard, section 3): CONNECT/CONNACK,
 * SUBSCRIBE/SUBACK, PUBLISH at QoS 0 and 1 with PUBACK both ways, DISCONNECT. Nothing else: no session state,
 * no resending, no keep-alive pings (a run is far shorter than the 60 s keep-alive it announces).
 */
final class FloorConnection implements BenchConnection {

    private static final int CONNECT = 1, CONNACK = 2, PUBLISH = 3, PUBACK = 4, SUBSCRIBE = 8, SUBACK = 9,
            DISCONNECT = 14;
    private static final int KEEP_ALIVE_SECONDS = 60;

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Deliveries deliveries;
    private final Thread reader;
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
        connection.send(CONNECT << 4, body.toByteArray());
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
    public void publish(String topic, byte[] payload, int qos) throws IOException {
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
    public void close() throws IOException {
        closing = true;
        try {
            send(DISCONNECT << 4, new byte[0]);
        } finally {
            socket.close();
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

    private void received(int header, byte[] body) throws IOException {
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

    /** One packet: fixed header, remaining length, body; written and flushed under one lock. */
    private void send(int header, byte[] body) throws IOException {
        synchronized (out) {
            out.write(header);
            int length = body.length;
            do {
                int digit = length & 0x7F;
                length >>>= 7;
                out.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            out.write(body);
            out.flush();
        }
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
