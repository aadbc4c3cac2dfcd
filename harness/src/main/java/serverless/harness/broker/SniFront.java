package serverless.harness.broker;

import serverless.harness.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import serverless.harness.broker.HandshakeRefusal.Reason;

/**
 * A TCP front that refuses a TLS connection unless its ClientHello names the deployment's host as SNI,
 * like EMQX Cloud Serverless does, and otherwise relays the bytes untouched to a TLS listener behind it.
 *
 * <p>TLS is not terminated here: the broker behind still does the handshake and still sees the SNI. The
 * front only reads the ClientHello (Netty's {@link AbstractSniHandler} parses it), then either closes the
 * connection (no SNI, another name, not TLS, nothing within the bound) or connects to the backend, forwards
 * the ClientHello it buffered and relays both ways until either side closes. Listens on 127.0.0.1 only.
 *
 * <p>The WebSocket front ({@link #startWebSocket}) must also answer a wrong WebSocket path with HTTP 404, as
 * EMQX does, which needs the request in clear: after the same SNI check it terminates TLS itself and hands
 * the connection to a {@link WebSocketPathGate}, which either answers 404 or goes on to the broker over a TLS
 * leg that repeats the client's handshake, so the broker still sees the client's SNI and TLS version.
 *
 * <p>Either front can also leave new connections unanswered ({@link #leaveNewConnectionsUnanswered}): it then
 * completes the TLS handshake itself and answers nothing to the CONNECT, as a deployment that is restarting may; the
 * WebSocket front first answers the upgrade ({@link UnansweredWebSocket}), so that the CONNECT comes. A front with no
 * broker behind it ({@link #unanswered}) leaves every connection so: a fault server for a first connect never answered.
 */
public final class SniFront implements AutoCloseable {

    /** How long a client may take to send its whole ClientHello. */
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);

    private final Transport transport;
    private final String expectedHost;
    /** The broker behind the front; null for a front with none, which leaves every connection unanswered. */
    private final InetSocketAddress backend;
    private final Duration helloTimeout;
    private final Consumer<HandshakeRefusal> refusals;
    private final String webSocketPath; // null: a byte relay (the TCP front)
    /** The WebSocket front's TLS; the TCP front's only for connections it leaves unanswered. May be null there. */
    private final FrontTls tls;
    /** Every open client connection and every connection to the backend, for {@link #dropConnections()}. */
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup backends = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup group;
    private final Channel serverChannel;
    /** False while the broker behind restarts: new connections are then refused at once, not relayed. */
    private volatile boolean brokerAvailable = true;
    /** True while new connections are to be left unanswered ({@link #leaveNewConnectionsUnanswered}). */
    private volatile boolean unanswered;
    private final Consumer<String> unansweredClientIds;

    private SniFront(Transport transport, String expectedHost, InetSocketAddress backend, Duration helloTimeout,
            Consumer<HandshakeRefusal> refusals, String webSocketPath, FrontTls tls, Consumer<String> unansweredClientIds) {
        this.transport = transport;
        this.expectedHost = expectedHost;
        this.backend = backend;
        this.helloTimeout = helloTimeout;
        this.refusals = refusals;
        this.webSocketPath = webSocketPath;
        this.tls = tls;
        this.unansweredClientIds = unansweredClientIds;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("sni-front-" + transport.listenerName(), true));
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        clients.add(channel);
                        channel.pipeline().addLast(new SniGate());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new UncheckedIOException(new IOException("the SNI front could not listen on 127.0.0.1: "
                    + bound.cause(), bound.cause()));
        }
        this.serverChannel = bound.channel();
    }

    /**
     * Starts a front on a free port of 127.0.0.1 that lets through only TLS connections whose SNI is
     * {@code expectedHost} (case-insensitive), to {@code backend}, bytes untouched; every refusal is reported
     * to {@code refusals}. {@code transport} only labels the refusals.
     */
    public static SniFront start(Transport transport, String expectedHost, InetSocketAddress backend,
            Duration helloTimeout, Consumer<HandshakeRefusal> refusals) {
        return new SniFront(transport, expectedHost, backend, helloTimeout, refusals, null, null, id -> { });
    }

    /**
     * {@link #start(Transport, String, InetSocketAddress, Duration, Consumer)}, able to leave connections unanswered
     * ({@link #leaveNewConnectionsUnanswered}) with {@code tls}; the client id of each CONNECT so left goes to
     * {@code unansweredClientIds}.
     */
    public static SniFront start(Transport transport, String expectedHost, InetSocketAddress backend,
            Duration helloTimeout, Consumer<HandshakeRefusal> refusals, FrontTls tls, Consumer<String> unansweredClientIds) {
        return new SniFront(transport, expectedHost, backend, helloTimeout, refusals, null, tls, unansweredClientIds);
    }

    /**
     * Starts the WebSocket front: the same SNI check, then TLS with {@code tls} and a request on any path but
     * {@code webSocketPath} answered with HTTP 404 (refusal {@link Reason#WRONG_WEBSOCKET_PATH}); the rest goes
     * on to {@code backend}, the broker's internal TLS WebSocket listener. {@code helloTimeout} bounds the
     * ClientHello, and then the TLS handshake and request head together. The client id of each CONNECT left
     * unanswered ({@link #leaveNewConnectionsUnanswered}) goes to {@code unansweredClientIds}.
     */
    public static SniFront startWebSocket(String expectedHost, InetSocketAddress backend, String webSocketPath,
            FrontTls tls, Duration helloTimeout, Consumer<HandshakeRefusal> refusals, Consumer<String> unansweredClientIds) {
        return new SniFront(Transport.WSS, expectedHost, backend, helloTimeout, refusals, webSocketPath, tls,
                unansweredClientIds);
    }

    /**
     * A front with no broker behind it, which leaves every connection with the right SNI unanswered from the start
     * (as {@link #leaveNewConnectionsUnanswered} does): the deployment's certificate from {@code tls}, the TLS
     * handshake completed, and the first CONNECT never answered, as from a deployment that is starting or overloaded,
     * or from something in between that speaks TLS but not MQTT. The client id of each CONNECT goes to
     * {@code clientIds}. Over WebSocket ({@code webSocketPath} not null) the upgrade on that path is answered first.
     */
    public static SniFront unanswered(Transport transport, String expectedHost, String webSocketPath, FrontTls tls,
            Consumer<String> clientIds) {
        if ((transport == Transport.WSS) != (webSocketPath != null)) {
            throw new IllegalArgumentException("a WebSocket path goes with WSS, and only with it: " + transport);
        }
        return new SniFront(transport, expectedHost, null, DEFAULT_HELLO_TIMEOUT, refusal -> { }, webSocketPath, tls,
                clientIds);
    }

    /** The public port, on 127.0.0.1. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Closes every client connection and every connection to the backend at once, and returns when they are
     * closed; keeps listening. Returns how many client connections were open.
     */
    public int dropConnections() {
        int open = clients.size();
        ChannelGroupFuture clientsClosed = clients.close();
        backends.close().awaitUninterruptibly();
        clientsClosed.awaitUninterruptibly();
        return open;
    }

    /**
     * Until {@link #acceptNewConnections()}, refuses every new connection at once, as {@link Reason#BROKER_UNAVAILABLE},
     * the way a restarting deployment refuses them: none reaches a broker that is stopping or still starting, where
     * a client's handshake could hang until its own timeout (10 s and more) instead of failing and being retried.
     */
    public void refuseNewConnections() {
        brokerAvailable = false;
    }

    /** Relays new connections to the broker again. */
    public void acceptNewConnections() {
        brokerAvailable = true;
    }

    /**
     * Until {@link #answerNewConnections()}, accepts every new connection with the right SNI and completes its TLS
     * handshake, then answers nothing, the CONNECT included ({@link UnansweredConnect}), as a deployment that is
     * restarting may: a client must give up such an attempt itself and try again. The WebSocket front answers the
     * upgrade on its path first (101 Switching Protocols, {@link UnansweredWebSocket}), and nothing after it. Needs the
     * front's TLS.
     */
    public void leaveNewConnectionsUnanswered() {
        if (tls == null) {
            throw new IllegalStateException("this front has no TLS of its own to leave a connection unanswered with");
        }
        unanswered = true;
    }

    /** Relays new connections to the broker again; those left unanswered stay so until closed. */
    public void answerNewConnections() {
        if (backend == null) {
            throw new IllegalStateException("this front has no broker to relay to");
        }
        unanswered = false;
    }

    /** Stops listening and closes every connection, at once. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    /** Reads the ClientHello, then closes the connection or replaces itself with a {@link Relay}. */
    private final class SniGate extends AbstractSniHandler<Channel> {

        private boolean decided;
        private boolean clientHelloSeen;
        private ScheduledFuture<?> helloTimer;

        SniGate() {
            super(0L); // no timeout of Netty's own: this gate's timer also records the refusal
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            helloTimer = ctx.executor().schedule(() -> refuse(ctx, "", Reason.TIMEOUT),
                    helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
            super.channelActive(ctx);
        }

        @Override
        protected Future<Channel> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
            clientHelloSeen = clientHello != null; // null: the first record was not a TLS ClientHello
            return super.lookup(ctx, clientHello);
        }

        @Override
        protected Future<Channel> lookup(ChannelHandlerContext ctx, String hostname) {
            if (hostname == null || !hostname.equalsIgnoreCase(expectedHost)) {
                return ctx.executor().newFailedFuture(new Refused());
            }
            if (!brokerAvailable) {
                return ctx.executor().newFailedFuture(new IOException("the broker is restarting"));
            }
            if (unanswered || backend == null) {
                return ctx.executor().newSucceededFuture(null); // no backend: see onLookupComplete
            }
            Promise<Channel> connected = ctx.executor().newPromise();
            new Bootstrap()
                    .group(ctx.channel().eventLoop()) // the same thread as the client side: no races between them
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                    .handler(new Relay(ctx.channel()))
                    .connect(backend)
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            backends.add(f.channel());
                            connected.setSuccess(f.channel());
                        } else {
                            connected.setFailure(f.cause());
                        }
                    });
            return connected;
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Channel> future) {
            String sni = hostname == null ? "" : hostname;
            if (!future.isSuccess()) {
                Reason reason = future.cause() instanceof Refused
                        ? (hostname != null ? Reason.WRONG_SNI : clientHelloSeen ? Reason.NO_SNI : Reason.NOT_TLS)
                        : Reason.BROKER_UNAVAILABLE;
                refuse(ctx, sni, reason);
                return;
            }
            Channel backendChannel = future.getNow();
            if (backendChannel == null) { // to be left unanswered
                if (!decided && ctx.channel().isActive()) {
                    decide();
                    ctx.pipeline().addAfter(ctx.name(), "unanswered", new UnansweredConnect(unansweredClientIds));
                    if (webSocketPath != null) { // the CONNECT comes after the upgrade, in WebSocket frames
                        ctx.pipeline().addAfter(ctx.name(), "unanswered-websocket",
                                new UnansweredWebSocket(expectedHost, webSocketPath));
                    }
                    ctx.pipeline().replace(this, "tls", tls.serverHandler(ctx.alloc()));
                }
                return;
            }
            if (decided || !ctx.channel().isActive()) { // timed out or the client left while we connected
                backendChannel.close();
                return;
            }
            decide();
            // Replacing a decoder hands the bytes it buffered (the ClientHello) to its replacement.
            if (webSocketPath == null) {
                ctx.pipeline().replace(this, "relay", new Relay(backendChannel));
                backendChannel.config().setAutoRead(true);
            } else {
                InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
                ctx.pipeline().addAfter(ctx.name(), "websocket-path-gate", new WebSocketPathGate(backendChannel,
                        tls, webSocketPath, sni, helloTimeout, () -> refusals.accept(new HandshakeRefusal(
                                Instant.now(), transport, client, sni, Reason.WRONG_WEBSOCKET_PATH))));
                ctx.pipeline().replace(this, "tls", tls.serverHandler(ctx.alloc()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof NotSslRecordException || cause.getCause() instanceof NotSslRecordException) {
                refuse(ctx, "", Reason.NOT_TLS);
            } else {
                decide();
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            decide(); // the client left before sending a ClientHello: nothing to refuse
            super.channelInactive(ctx);
        }

        private void refuse(ChannelHandlerContext ctx, String sni, Reason reason) {
            if (decided) {
                return;
            }
            decide();
            refusals.accept(new HandshakeRefusal(Instant.now(), transport,
                    (InetSocketAddress) ctx.channel().remoteAddress(), sni, reason));
            ctx.close();
        }

        private void decide() {
            decided = true;
            if (helloTimer != null) {
                helloTimer.cancel(false);
            }
        }
    }

    /** The lookup result for a refused SNI; never leaves this class. */
    private static final class Refused extends Exception {
        Refused() {
            super(null, null, false, false);
        }
    }
}
