package serverless.harness.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A stand-in for the broker's internal TLS WebSocket listener, so that the WebSocket front can be tested without
 * HiveMQ: records each connection's SNI, TLS protocol and request head as it arrived, answers 101 on
 * {@code /mqtt} (exactly, as HiveMQ matches it) and nothing on another path, then echoes whatever comes.
 * Bytes that do not start like an HTTP request are echoed from the first one.
 */
final class FakeWebSocketBackend implements AutoCloseable {

    /** What one connection brought: the SNI (empty if none), the TLS version, the bytes before any answer. */
    record Connection(String sni, String protocol, byte[] head) {
        String headText() {
            return new String(head, StandardCharsets.ISO_8859_1);
        }
    }

    private final AcceptLoop loop;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ended = new AtomicInteger();

    private FakeWebSocketBackend(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        loop = new AcceptLoop(FaultServer.serverTls(keyStore, password).getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                "fake-websocket-backend", socket -> {
                    try {
                        serve((SSLSocket) socket);
                    } finally {
                        ended.incrementAndGet();
                    }
                });
    }

    static FakeWebSocketBackend start(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        return new FakeWebSocketBackend(keyStore, password);
    }

    private void serve(SSLSocket socket) throws IOException {
        socket.startHandshake();
        SSLSession session = socket.getSession();
        String sni = ((ExtendedSSLSession) session).getRequestedServerNames().stream()
                .map(name -> ((SNIHostName) name).getAsciiName()).findFirst().orElse("");
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 'A' || b > 'Z') { // not HTTP (or nothing): echo it all
            connections.add(new Connection(sni, session.getProtocol(), b < 0 ? new byte[0] : new byte[] {(byte) b}));
            if (b >= 0) {
                out.write(b);
                echo(in, out);
            }
            return;
        }
        head.write(b);
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            head.write(b);
        }
        connections.add(new Connection(sni, session.getProtocol(), head.toByteArray()));
        if (head.toString(StandardCharsets.ISO_8859_1).startsWith("GET /mqtt HTTP/1.1\r\n")) {
            out.write("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        echo(in, out);
    }

    private static void echo(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    int port() {
        return loop.port();
    }

    /** Every connection that completed its TLS handshake and sent something (or closed), oldest first. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** How many connections it accepted so far (whether or not their handshake completed). */
    int accepted() {
        return loop.connections();
    }

    /** How many connections are over: the client side closed, or the handshake failed. */
    int ended() {
        return ended.get();
    }

    @Override
    public void close() throws IOException {
        loop.close();
    }
}
