package serverless.examples.paho;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A server on 127.0.0.1 that accepts every connection and never answers, as a broker that is restarting may:
 * a client's CONNECT gets no CONNACK. Counts the connections, and keeps them open until closed.
 */
final class SilentServer implements AutoCloseable {

    /** What the server does with a connection before it falls silent: nothing, or complete a TLS handshake. */
    interface OnAccept {
        void accepted(Socket connection) throws IOException;
    }

    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Semaphore connections = new Semaphore(0);

    /** Plain TCP: not even a TLS ServerHello comes back. */
    SilentServer() throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), connection -> { });
    }

    /** On {@code socket} (bound already), doing {@code onAccept} with each connection and then nothing. */
    SilentServer(ServerSocket socket, OnAccept onAccept) {
        this.socket = socket;
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    accepted.add(connection);
                    connections.release();
                    onAccept.accepted(connection);
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + port();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Whether {@code count} connections have come within {@code seconds}. */
    boolean awaitConnections(int count, long seconds) throws InterruptedException {
        return connections.tryAcquire(count, seconds, TimeUnit.SECONDS);
    }

    int connectionCount() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : accepted) {
            connection.close();
        }
    }
}
