package serverless.harness.broker;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Copies what one channel reads to its peer; closes the peer when this side closes; reads no faster than the
 * peer writes (back-pressure through auto-read). Both channels must share one event loop, so neither side races
 * the other. Used on both sides of an SNI front's connection: raw TLS bytes for the TCP front, decrypted bytes
 * for the WebSocket front (there the TLS handlers sit before it in each pipeline).
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    Relay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by either side ends the relay; nothing to log
    }
}
