package serverless.examples.paho;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory Paho is given, around the trusted TLS one: on every socket it makes, Nagle's algorithm is off
 * (TCP_NODELAY), and a completed TLS handshake is noted.
 *
 * <p>The handshake: Paho bounds the TCP connect and the TLS handshake, the example bounds the wait for the CONNACK,
 * and a connect that runs out of time says neither which wait it was in (Paho's timeout has no cause). A completed
 * handshake says that the server answered TLS, so it was the MQTT CONNECT that went unanswered
 * ({@link UnansweredConnect}).
 *
 * <p>Nagle's algorithm: Paho never sets TCP_NODELAY. With QoS 1 messages sent in a window, Nagle's algorithm holds
 * back each small write until the previous one is acknowledged, and the server delays that acknowledgement (about
 * 40 ms on Linux): measured with the MQTT 5 client (10 in flight, the broker's Receive Maximum) against the local
 * broker, 2000 messages took 10.7 s with Nagle and 0.7 s without. Everything else is the given factory's.
 */
final class PahoSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory factory;
    private volatile boolean handshakeCompleted;

    PahoSocketFactory(SSLSocketFactory factory) {
        this.factory = factory;
    }

    /** Whether a TLS handshake has completed on a socket of this factory: a server answered TLS. */
    boolean handshakeCompleted() {
        return handshakeCompleted;
    }

    /** The one Paho calls: an unconnected socket, which it then connects with its connection timeout. */
    @Override
    public Socket createSocket() throws IOException {
        return prepared(factory.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return prepared(factory.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return prepared(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return prepared(factory.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return prepared(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
        return prepared(factory.createSocket(host, port, localHost, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return factory.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return factory.getSupportedCipherSuites();
    }

    private Socket prepared(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        if (socket instanceof SSLSocket tls) {
            tls.addHandshakeCompletedListener(completed -> handshakeCompleted = true);
        }
        return socket;
    }
}
