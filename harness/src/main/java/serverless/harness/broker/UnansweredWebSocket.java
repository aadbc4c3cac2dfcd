package serverless.harness.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;

/**
 * The WebSocket front's end of a connection it leaves unanswered, after its own TLS handshake: it answers the HTTP
 * upgrade on the WebSocket path with 101 Switching Protocols, as EMQX does, and from then on answers nothing. A
 * WebSocket client so meets what a TCP client meets there ({@link UnansweredConnect}): a connection that is up, and
 * a CONNECT that gets no CONNACK. Left unanswered at the upgrade instead, a client would never send its CONNECT, and
 * its bound on the CONNACK would go untested.
 *
 * <p>The payload of the client's binary frames (its MQTT bytes, unmasked) goes on to the next handler, an
 * {@link UnansweredConnect}, which reports the CONNECT's client id. Ping and close frames get no answer either. A
 * request on another path, or one that is not a WebSocket upgrade, gets nothing at all.
 */
final class UnansweredWebSocket extends ChannelInboundHandlerAdapter {

    /** What EMQX accepts as the WebSocket subprotocol (its listeners' default {@code supported_subprotocols}). */
    private static final String SUBPROTOCOLS = "mqtt,mqtt-v3,mqtt-v3.1.1,mqtt-v5";

    private final String host;
    private final String path;

    /**
     * @param host the deployment's name, only for the URL the handshake is made for (nothing checks it)
     * @param path the one path whose upgrade is answered, e.g. {@code /mqtt}
     */
    UnansweredWebSocket(String host, String path) {
        this.host = host;
        this.path = path;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The request arrives whole; the handshake below replaces the HTTP codec with the WebSocket frame codec.
        ctx.pipeline().addBefore(ctx.name(), "http", new HttpServerCodec());
        ctx.pipeline().addBefore(ctx.name(), "http-request", new HttpObjectAggregator(WebSocketPathGate.MAX_HEAD));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            try {
                answerTheUpgrade(ctx, request);
            } finally {
                request.release();
            }
        } else if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content()); // the next handler owns it now
        } else {
            ReferenceCountUtil.release(msg); // a ping, a close, text: nobody answers
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client (it gave up), or bytes that are not HTTP or WebSocket
    }

    private void answerTheUpgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!new QueryStringDecoder(request.uri()).path().equals(path)) {
            return; // another path: left unanswered as a whole
        }
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory("wss://" + host + path, SUBPROTOCOLS, false).newHandshaker(request);
        if (handshaker == null) {
            return; // a WebSocket version nobody speaks today: left unanswered
        }
        try {
            handshaker.handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException notAnUpgrade) {
            // no Upgrade or key header: left unanswered
        }
    }
}
