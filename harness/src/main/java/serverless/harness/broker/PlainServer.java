package serverless.harness.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A plaintext TCP server on 127.0.0.1 that reads what a client sends and closes without answering: what a
 * plaintext MQTT port (1883) does with a TLS ClientHello. A TLS client sees its handshake end without a reply.
 */
public final class PlainServer implements AutoCloseable {

    private final AcceptLoop loop;

    private PlainServer(ServerSocket server) {
        this.loop = new AcceptLoop(server, "plain-server", socket -> {
            InputStream in = socket.getInputStream();
            in.read(new byte[16 * 1024]); // the ClientHello (or whatever came), then close
        });
    }

    /** Starts listening on a free port of 127.0.0.1. */
    public static PlainServer start() throws IOException {
        return new PlainServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
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
