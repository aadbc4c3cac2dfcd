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

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Semaphore connections = new Semaphore(0);

    SilentServer() throws IOException {
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(socket.accept());
                    connections.release();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + socket.getLocalPort();
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
