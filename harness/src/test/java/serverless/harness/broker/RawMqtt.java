package serverless.harness.broker;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * A bare MQTT 3.1.1 or 5 client over TLS that writes and reads the packets byte by byte, for the broker's own tests:
 * what they check is what a client library hides or refuses to send (a PUBACK's reason code, a DISCONNECT before the
 * close, a client id or packet over a quota). It sends no properties. Reads time out after 5 s.
 *
 * <p>Public for the suite's {@code QuotaProbe}, which meets a broker's quotas through it on a connection of its own
 * (to the broker's address, with its host name as SNI): a client library would look the name up in the test JVM,
 * where it may not resolve.
 */
public final class RawMqtt implements AutoCloseable {

    public static final int V3_1_1 = 4;
    public static final int V5 = 5;
    /** The reason code of an acknowledgement that carries none: MQTT 3.1.1 always, MQTT 5 when it is 0 (success). */
    static final int NO_REASON_CODE = -1;

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int DISCONNECT = 14;

    /**
     * A packet as read: its type (the first byte's high nibble), its flags (the low nibble) and the bytes after its
     * remaining length.
     */
    public record Packet(int type, int flags, byte[] body) {
        int packetId() {
            return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        }
    }

    /** A CONNACK: the session-present flag and the reason code (MQTT 3.1.1: the return code). */
    public record Connack(boolean sessionPresent, int reasonCode) {
    }

    private final int version;
    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int lastPacketId;

    private RawMqtt(int version, SSLSocket socket) throws IOException {
        this.version = version;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** A TLS connection to {@code host} (its SNI, and the name the certificate must have), trusting only {@code ca}. */
    static RawMqtt open(Path ca, String host, int port, int version) throws IOException, GeneralSecurityException {
        return new RawMqtt(version, TestTls.handshake(ca, host, port, null, true));
    }

    /** Over a TLS connection the caller made, with its own SNI, verification and read timeout. */
    public static RawMqtt over(SSLSocket socket, int version) throws IOException {
        return new RawMqtt(version, socket);
    }

    /** Sends a CONNECT (user and password may be null) and reads the CONNACK. */
    public Connack connect(String clientId, String user, String password, boolean cleanStart) throws IOException {
        write(connectPacket(version, clientId, user, password, cleanStart));
        Packet connack = read();
        if (connack.type() != CONNACK) {
            throw new IOException("expected a CONNACK, got packet type " + connack.type());
        }
        return new Connack((connack.body()[0] & 1) == 1, connack.body()[1] & 0xFF);
    }

    /** Subscribes to {@code filters} at QoS 0 in one SUBSCRIBE and returns the SUBACK's codes, one per filter. */
    List<Integer> subscribe(String... filters) throws IOException {
        return subscribe(0, filters);
    }

    /**
     * Subscribes to {@code filters} at {@code qos} in one SUBSCRIBE and returns the SUBACK's codes, one per filter.
     * At QoS 1, the caller acknowledges what the broker sends ({@link #acknowledge}).
     */
    public List<Integer> subscribe(int qos, String... filters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int packetId = packetIdAndProperties(body);
        for (String filter : filters) {
            writeString(body, filter);
            body.write(qos); // and MQTT 5's other options at their defaults
        }
        write(packet(0x82, body.toByteArray()));
        byte[] suback = awaitAck(SUBACK, packetId).body();
        int codes = 2 + (version == V5 ? 1 + suback[2] : 0); // packet id, then MQTT 5's properties (none here)
        List<Integer> result = new ArrayList<>();
        for (int i = codes; i < suback.length; i++) {
            result.add(suback[i] & 0xFF);
        }
        return result;
    }

    /** Unsubscribes from {@code filters} in one UNSUBSCRIBE and waits for the UNSUBACK. */
    void unsubscribe(String... filters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int packetId = packetIdAndProperties(body);
        for (String filter : filters) {
            writeString(body, filter);
        }
        write(packet(0xA2, body.toByteArray()));
        awaitAck(UNSUBACK, packetId);
    }

    /** Sends a QoS 0 PUBLISH. */
    void publishQos0(String topic, byte[] payload) throws IOException {
        write(publishPacket(topic, payload, 0));
    }

    /**
     * Sends QoS 1 PUBLISHes with the payloads {@code prefix + 0} to {@code prefix + (count - 1)}, all at once, without
     * reading anything: the caller reads their PUBACKs (and, subscribed to {@code topic}, the messages back).
     */
    public void publishQos1Burst(String topic, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            out.write(publishPacket(topic, (prefix + i).getBytes(StandardCharsets.UTF_8), nextPacketId()));
        }
        out.flush();
    }

    /**
     * The payload of a PUBLISH the broker sent ({@code publish}, as read), acknowledged with a PUBACK at QoS 1. A QoS 2
     * one fails: this client never subscribes at QoS 2.
     */
    public byte[] acknowledge(Packet publish) throws IOException {
        int qos = publish.flags() >> 1 & 3;
        if (publish.type() != PUBLISH || qos > 1) {
            throw new IOException("expected a PUBLISH at QoS 0 or 1, got packet type " + publish.type() + " (QoS " + qos + ")");
        }
        byte[] body = publish.body();
        int at = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF); // after the topic name
        int packetId = 0;
        if (qos == 1) {
            packetId = (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
            at += 2;
        }
        if (version == V5) { // skip the properties: their length, a variable byte integer, then them
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = body[at++] & 0xFF;
                length |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            at += length;
        }
        if (qos == 1) {
            write(new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId});
        }
        return Arrays.copyOfRange(body, at, body.length);
    }

    /**
     * Publishes QoS 1 messages with the payloads {@code prefix + 0} to {@code prefix + (count - 1)}, each as soon as
     * fewer than {@code window} are unacknowledged (MQTT 5: HiveMQ's Receive Maximum is 10), and returns each one's
     * PUBACK reason code by index ({@link #NO_REASON_CODE} when the PUBACK carries none).
     */
    int[] publishQos1(String topic, String prefix, int count, int window) throws IOException {
        int[] codes = new int[count];
        int firstId = lastPacketId + 1;
        int sent = 0;
        for (int acknowledged = 0; acknowledged < count; acknowledged++) {
            while (sent < count && sent - acknowledged < window) {
                lastPacketId = firstId + sent;
                out.write(publishPacket(topic, (prefix + sent).getBytes(StandardCharsets.UTF_8), lastPacketId));
                sent++;
            }
            out.flush();
            Packet puback = read();
            if (puback.type() != PUBACK) {
                throw new IOException("expected a PUBACK, got packet type " + puback.type());
            }
            codes[puback.packetId() - firstId] = puback.body().length > 2 ? puback.body()[2] & 0xFF : NO_REASON_CODE;
        }
        return codes;
    }

    /** Sends a QoS 1 PUBLISH whose remaining length (all after the fixed header) is exactly {@code remainingLength}. */
    void publishQos1OfRemainingLength(String topic, int remainingLength) throws IOException {
        // topic (length and bytes), packet id, MQTT 5's empty properties, then the payload
        int overhead = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + (version == V5 ? 1 : 0);
        write(publishPacket(topic, new byte[remainingLength - overhead], nextPacketId()));
    }

    /** Sends only the fixed header of a QoS 1 PUBLISH that announces {@code remainingLength} bytes to follow. */
    void announcePublish(int remainingLength) throws IOException {
        out.write(0x32);
        write(variableLength(remainingLength));
    }

    /** The next packet. */
    public Packet read() throws IOException {
        int first = in.readUnsignedByte();
        byte[] body = new byte[readVariableLength()];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0F, body);
    }

    /**
     * Reads until the broker closes the connection, and returns the last packet before that, if any. Fails if the
     * connection stays open (a read times out).
     */
    Optional<Packet> readUntilClosed() throws IOException {
        Packet last = null;
        while (true) {
            try {
                last = read();
            } catch (SocketTimeoutException open) {
                throw open;
            } catch (IOException closed) { // end of stream, or a reset
                return Optional.ofNullable(last);
            }
        }
    }

    /** Sends a DISCONNECT (normal disconnection) and closes the connection. */
    public void disconnect() throws IOException {
        write(new byte[] {(byte) 0xE0, 0});
        close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A CONNECT packet, for tests that send it on a connection of their own. */
    static byte[] connectPacket(int version, String clientId, String user, String password, boolean cleanStart) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(version);
        body.write((cleanStart ? 0x02 : 0) | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0));
        body.write(0);
        body.write(30); // keep alive
        if (version == V5) {
            body.write(0); // no properties
        }
        writeString(body, clientId);
        if (user != null) {
            writeString(body, user);
        }
        if (password != null) {
            writeString(body, password);
        }
        return packet(0x10, body.toByteArray());
    }

    private Packet awaitAck(int type, int packetId) throws IOException {
        while (true) {
            Packet packet = read();
            if (packet.type() == type && packet.packetId() == packetId) {
                return packet;
            }
        }
    }

    private byte[] publishPacket(String topic, byte[] payload, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (packetId != 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        properties(body);
        body.writeBytes(payload);
        return packet(packetId == 0 ? 0x30 : 0x32, body.toByteArray());
    }

    private int nextPacketId() {
        return ++lastPacketId;
    }

    /** The variable header of a SUBSCRIBE or UNSUBSCRIBE: a new packet id, then MQTT 5's (empty) properties. */
    private int packetIdAndProperties(ByteArrayOutputStream body) {
        int packetId = nextPacketId();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        properties(body);
        return packetId;
    }

    private void properties(ByteArrayOutputStream body) {
        if (version == V5) {
            body.write(0);
        }
    }

    private void write(byte[] packet) throws IOException {
        out.write(packet);
        out.flush();
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        packet.writeBytes(variableLength(body.length));
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    private static byte[] variableLength(int value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        do {
            int digit = value % 128;
            value /= 128;
            bytes.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return bytes.toByteArray();
    }

    private int readVariableLength() throws IOException {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
