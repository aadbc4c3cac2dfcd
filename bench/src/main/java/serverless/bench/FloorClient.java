package serverless.bench;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The floor: MQTT 3.1.1 written by hand on the JDK's {@link SSLSocket}, no library. What a Java client cannot do
 * better on this machine: one blocking socket, one reader thread, every packet written and flushed at once.
 * It keeps the rules every stack keeps: SNI sent, the certificate checked against the host name, TCP_NODELAY.
 */
final class FloorClient implements BenchClient {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final Target target;
    private final SSLContext tls;

    FloorClient(Target target) throws Exception {
        this.target = target;
        this.tls = ServerTrust.context(target.caFile());
    }

    @Override
    public BenchConnection connect(String clientId, Deliveries deliveries) throws Exception {
        Socket tcp = new Socket();
        // Nagle's algorithm off, as in every stack: a small PUBLISH is sent at once, not held for an ACK.
        tcp.setTcpNoDelay(true);
        tcp.connect(new InetSocketAddress(target.host(), target.tlsPort()), TIMEOUT_MILLIS);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, target.host(), target.tlsPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        // The certificate must be for the host name (what browsers check), and the name goes out as SNI,
        // which Serverless requires. The JDK does neither by itself on a plain SSLSocket: the first is off and
        // the second depends on how the socket was made.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(target.host())));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        try {
            socket.startHandshake();
            return FloorConnection.open(socket, clientId, target.username(), target.password(), deliveries);
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }
}
