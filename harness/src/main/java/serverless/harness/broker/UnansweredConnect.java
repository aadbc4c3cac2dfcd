package serverless.harness.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The end of a connection that a front accepted, and whose TLS handshake it completed, but that nothing will
 * ever answer, as a deployment that is restarting may leave one: it reads the client's MQTT CONNECT, reports
 * the client id in it, and throws away everything the client sends. It writes nothing; the connection stays
 * open until the client gives up or the front drops it. On the WebSocket front it sits behind an
 * {@link UnansweredWebSocket}, which answers the upgrade and hands it the MQTT bytes out of the client's frames.
 */
final class UnansweredConnect extends ChannelInboundHandlerAdapter {

    private final Consumer<String> clientIds;
    private ByteBuf received = Unpooled.buffer();
    private boolean reported;

    UnansweredConnect(Consumer<String> clientIds) {
        this.clientIds = clientIds;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!reported && msg instanceof ByteBuf bytes) {
                received.writeBytes(bytes);
                clientId(received).ifPresent(id -> {
                    reported = true;
                    clientIds.accept(id);
                });
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (reported) {
            received.release();
            received = Unpooled.EMPTY_BUFFER;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        received.release();
        received = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client: it gave up
    }

    /**
     * The client id of the MQTT CONNECT at the start of {@code bytes} (MQTT 3.1.1 or 5), once all of it up to the
     * client id has arrived; empty before that, or when the bytes are not a CONNECT.
     */
    static Optional<String> clientId(ByteBuf bytes) {
        ByteBuf in = bytes.duplicate();
        if (!in.isReadable() || in.readUnsignedByte() != 0x10) {
            return Optional.empty();
        }
        if (variableLength(in) < 0 || in.readableBytes() < 2) { // the remaining length
            return Optional.empty();
        }
        int nameLength = in.readUnsignedShort();
        if (in.readableBytes() < nameLength + 4) { // protocol name, level, flags, keep-alive
            return Optional.empty();
        }
        in.skipBytes(nameLength);
        int level = in.readUnsignedByte();
        in.skipBytes(3);
        if (level == 5) {
            int properties = variableLength(in);
            if (properties < 0 || in.readableBytes() < properties) {
                return Optional.empty();
            }
            in.skipBytes(properties);
        }
        if (in.readableBytes() < 2) {
            return Optional.empty();
        }
        int idLength = in.readUnsignedShort();
        if (in.readableBytes() < idLength) {
            return Optional.empty();
        }
        return Optional.of(in.readCharSequence(idLength, StandardCharsets.UTF_8).toString());
    }

    /** An MQTT variable byte integer, or -1 when not all of it has arrived. */
    private static int variableLength(ByteBuf in) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            if (!in.isReadable()) {
                return -1;
            }
            int next = in.readUnsignedByte();
            value |= (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
