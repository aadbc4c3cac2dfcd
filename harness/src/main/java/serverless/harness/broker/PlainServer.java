package serverless.harness.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A plaintext TCP server on 127.0.0.1 that reads what a client sends and closes without answering: what a
 * plaintext MQTT port (1883) does with a TLS ClientHello. A TLS client sees its handshake end without a reply.
 * {@link #silent()} is its variant that never answers and leaves the closing to the client (10 s at most).
 */
public final class PlainServer implements AutoCloseable {

    private final AcceptLoop loop;

    private PlainServer(String name, AcceptLoop.Handler handler) throws IOException {
        this.loop = new AcceptLoop(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), name, handler);
    }

    /** Starts listening on a free port of 127.0.0.1. */
    public static PlainServer start() throws IOException {
        return new PlainServer("plain-server", socket -> {
            InputStream in = socket.getInputStream();
            in.read(new byte[16 * 1024]); // the ClientHello (or whatever came), then close
        });
    }

    /**
     * A server that accepts TCP and then never says a word, until the client gives up (or
     * {@link AcceptLoop#READ_TIMEOUT_MILLIS} passes): what a firewall that swallows packets after the
     * handshake, or a hung broker, looks like to a client.
     */
    public static PlainServer silent() throws IOException {
        return new PlainServer("silent-server", socket -> {
            InputStream in = socket.getInputStream();
            while (in.read(new byte[16 * 1024]) != -1) {
                // read and never answer
            }
        });
    }

    public int port() {
        return loop.port();
    }

    /** How many connections it accepted so far. */
    public int connections() {
        return loop.connections();
    }

    @Override
    public void close() throws IOException {
        loop.close();
    }
}
