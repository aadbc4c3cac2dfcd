package serverless.harness.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;

/**
 * The WebSocket front's path check, after its SNI check and its own TLS handshake with the client: a request
 * on any path other than the WebSocket path gets HTTP 404 at once and the connection is closed. EMQX answers
 * so (its cowboy router, when no route matches); HiveMQ answers nothing and leaves the client to its own
 * timeout, so without this gate the 404 that users of Serverless really get would never be exercised.
 *
 * <p>Sits after the client side's {@link SslHandler}, so it reads decrypted bytes. The channel to the broker
 * is already connected (by the SNI gate, so that a stopped broker still ends the client's handshake); its TLS
 * leg starts as soon as the client's handshake is done, while the client sends its request, and repeats that
 * handshake (the client's SNI, its protocol: see {@link FrontTls}) so that the broker's record of the
 * connection is still the client's. Once the request head is read and the leg is up, everything read so far
 * goes to the broker unchanged and this gate gives way to a {@link Relay}.
 *
 * <p>It answers only what it is sure of: bytes that do not look like an HTTP request (no upper-case method
 * first, no {@code HTTP/} version, no end of the head within {@value #MAX_HEAD} bytes) go to the broker as
 * before. Everything runs on the client channel's event loop, which the broker channel shares.
 */
final class WebSocketPathGate extends ChannelInboundHandlerAdapter {

    /** Cowboy's own limits allow a request line of 8,000 bytes and 100 headers; real upgrade heads are ~300. */
    static final int MAX_HEAD = 16 * 1024;
    /**
     * What EMQX 5.8 sends (cowboy 2.9 {@code cowboy_req:reply(404, Req)}: {@code content-length: 0} and the
     * {@code date} and {@code server} headers cowboy adds, in that order, lower case). It then keeps the
     * connection for another request until cowboy's 5 s request timeout; this gate closes at once instead.
     */
    private static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\ndate: %s\r\n"
            + "server: Cowboy\r\n\r\n";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final ByteBuf END_OF_HEAD = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

    private enum State { READING_HEAD, FORWARDING, ANSWERED }

    private final Channel backend;
    private final FrontTls tls;
    private final String path;
    private final String sni;
    private final Duration bound;
    private final Runnable onWrongPath;
    private State state = State.READING_HEAD;
    private ByteBuf received; // the decrypted bytes read so far: what the broker gets, unchanged
    private SslHandler backendTls; // null until the client's handshake is done
    private ScheduledFuture<?> timer;

    /**
     * @param backend connected to the broker's internal TLS WebSocket listener, not reading yet
     * @param path the one path the broker serves, e.g. {@code /mqtt}
     * @param sni the SNI the SNI gate let through; used only if the TLS session does not give the exact one
     * @param bound how long the client may take for its TLS handshake and its request head together
     * @param onWrongPath called once when a request is answered with 404
     */
    WebSocketPathGate(Channel backend, FrontTls tls, String path, String sni, Duration bound, Runnable onWrongPath) {
        this.backend = backend;
        this.tls = tls;
        this.path = path;
        this.sni = sni;
        this.bound = bound;
        this.onWrongPath = onWrongPath;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer();
        timer = ctx.executor().schedule(() -> {
            ctx.close(); // no complete head in time: close, as cowboy does after its request timeout
        }, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ctx.close(); // the SslHandler has sent its alert
            } else if (state != State.ANSWERED) {
                startBackendLeg(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (state == State.ANSWERED || received == null) {
                return; // answered 404 and closing: whatever else comes is dropped
            }
            received.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        if (state == State.READING_HEAD) {
            inspectHead(ctx);
        }
        if (state == State.FORWARDING && !forwardWhenReady(ctx)) {
            ctx.channel().config().setAutoRead(false); // read no more until the broker can take it
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        backend.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a TLS failure or a reset: the broker channel follows in channelInactive
    }

    /** The leg to the broker, with the client's SNI and exactly the protocol the client agreed on. */
    private void startBackendLeg(ChannelHandlerContext ctx) {
        SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
        String clientSni = session instanceof ExtendedSSLSession extended
                ? extended.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                        .map(name -> ((SNIHostName) name).getAsciiName()).findFirst().orElse(sni)
                : sni;
        backendTls = tls.backendHandler(backend.alloc(), clientSni, session.getProtocol());
        backend.pipeline().addFirst("tls", backendTls); // starts its handshake; a failure closes it, and its Relay the client
        backend.config().setAutoRead(true);
        backendTls.handshakeFuture().addListener(leg -> {
            if (leg.isSuccess()) {
                forwardWhenReady(ctx);
            }
        });
    }

    private void inspectHead(ChannelHandlerContext ctx) {
        if (!received.isReadable()) {
            return;
        }
        byte first = received.getByte(received.readerIndex());
        if (first < 'A' || first > 'Z') {
            state = State.FORWARDING; // not an HTTP method: not this gate's business
            return;
        }
        int end = ByteBufUtil.indexOf(END_OF_HEAD, received);
        if (end < 0) {
            if (received.readableBytes() > MAX_HEAD) {
                state = State.FORWARDING;
            }
            return; // wait for the rest of the head: cowboy, too, answers after reading it all
        }
        String target = requestTarget();
        if (target == null || pathOf(target).equals(path)) {
            state = State.FORWARDING;
            return;
        }
        state = State.ANSWERED;
        timer.cancel(false);
        onWrongPath.run();
        String answer = NOT_FOUND.formatted(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.US_ASCII)).addListener(written -> {
            backend.close();
            ctx.close(); // sends close_notify after the 404
        });
    }

    /** The request line's target, or null when the first line is not {@code METHOD SP target SP HTTP/x}. */
    private String requestTarget() {
        int lineEnd = ByteBufUtil.indexOf(received, received.readerIndex(), received.writerIndex(), (byte) '\r');
        String[] parts = received.toString(received.readerIndex(), lineEnd - received.readerIndex(),
                StandardCharsets.ISO_8859_1).split(" ", -1);
        return parts.length == 3 && parts[2].startsWith("HTTP/") ? parts[1] : null;
    }

    /** The path of an origin-form ({@code /mqtt?x}) or absolute-form ({@code https://host/mqtt}) target. */
    private static String pathOf(String target) {
        String path = target;
        int scheme = path.indexOf("://");
        if (!path.startsWith("/") && scheme > 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : path.substring(slash);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * Hands the bytes read so far to the broker and the connection to a {@link Relay}, once both sides are
     * ready; returns whether it did.
     */
    private boolean forwardWhenReady(ChannelHandlerContext ctx) {
        if (state != State.FORWARDING || received == null || backendTls == null
                || !backendTls.handshakeFuture().isSuccess() || ctx.isRemoved()) {
            return false;
        }
        timer.cancel(false);
        ByteBuf bytes = received;
        received = null;
        backend.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.pipeline().replace(this, "relay", new Relay(backend));
        ctx.channel().config().setAutoRead(backend.isWritable());
        return true;
    }
}
