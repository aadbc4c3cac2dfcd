package serverless.harness.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Accepts connections on a server socket and hands each to a handler on its own daemon thread. */
final class AcceptLoop implements AutoCloseable {

    /** What a fault server does with one connection; the socket is closed afterwards. */
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    /** How long a fault server waits for a client that sends nothing. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    AcceptLoop(ServerSocket server, String name, Handler handler) {
        this.server = server;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                connections.incrementAndGet();
                Thread worker = new Thread(() -> {
                    try (socket) {
                        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                        handler.handle(socket);
                    } catch (IOException e) {
                        // The client gave up or refused the handshake: that is what these servers are for.
                    }
                }, name + "-connection");
                worker.setDaemon(true);
                worker.start();
            }
        }, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
