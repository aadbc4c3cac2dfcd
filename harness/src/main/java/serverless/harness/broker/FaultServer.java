package serverless.harness.broker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A server on 127.0.0.1 that makes a client's connection fail in one chosen way, and never speaks MQTT.
 *
 * <ul>
 *   <li>{@link #plaintext}: speaks no TLS: reads the ClientHello and closes, as a plaintext MQTT port (1883) does;</li>
 *   <li>{@link #silent}: accepts TCP and then never says a word, like a hung broker;</li>
 *   <li>{@link #presenting}: presents a given certificate (for another host, expired), then closes;</li>
 *   <li>{@link #tls11Only}: answers the ClientHello like a server that speaks only TLS 1.1;</li>
 *   <li>{@link #refusingProtocolVersion}: answers it with a {@code protocol_version} alert, like a server
 *       that accepts none of the versions the client offers.</li>
 * </ul>
 *
 * The two protocol cases write their answer byte by byte instead of using the JDK's TLS server: JSSE reads
 * {@code jdk.tls.disabledAlgorithms} (which disables TLS 1.0 and 1.1) once per JVM, so enabling TLS 1.1
 * with {@code Security.setProperty} works only before anything else in the JVM used TLS, which a harness
 * that already runs a broker cannot promise. The client sees the same thing either way.
 */
public final class FaultServer implements AutoCloseable {

    private final AcceptLoop loop;

    private FaultServer(ServerSocket server, String name, AcceptLoop.Handler handler) {
        this.loop = new AcceptLoop(server, name, handler);
    }

    /**
     * A plaintext TCP server that reads what a client sends and closes without answering: what a plaintext MQTT port
     * (1883) does with a TLS ClientHello. A TLS client sees its handshake end without a reply.
     */
    public static FaultServer plaintext() throws IOException {
        return new FaultServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "plain-server", socket -> {
            InputStream in = socket.getInputStream();
            in.read(new byte[16 * 1024]); // the ClientHello (or whatever came), then close
        });
    }

    /**
     * A server that accepts TCP and then never says a word, until the client gives up (or
     * {@link AcceptLoop#READ_TIMEOUT_MILLIS} passes): what a firewall that swallows packets after the
     * handshake, or a hung broker, looks like to a client.
     */
    public static FaultServer silent() throws IOException {
        return new FaultServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "silent-server", socket -> {
            InputStream in = socket.getInputStream();
            while (in.read(new byte[16 * 1024]) != -1) {
                // read and never answer
            }
        });
    }

    /** Presents the key and chain in {@code pkcs12} (store and key password {@code password}), then closes. */
    public static FaultServer presenting(Path pkcs12, char[] password) throws IOException, GeneralSecurityException {
        ServerSocket server = serverTls(pkcs12, password).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new FaultServer(server, "tls-fault-server", socket -> ((SSLSocket) socket).startHandshake());
    }

    /** The server side of TLS with the key and chain in {@code pkcs12}: no client certificate asked for. */
    static SSLContext serverTls(Path pkcs12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    /**
     * Answers every ClientHello with a ServerHello for TLS 1.1, as a server limited to TLS 1.1 does. A client
     * limited to TLS 1.2 and 1.3 aborts (JDK: "The server selected protocol version TLS11 is not accepted").
     */
    public static FaultServer tls11Only() throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] hello = new byte[5 + 4 + 38];
        int i = 0;
        for (int b : new int[] {0x16, 0x03, 0x02, 0x00, 4 + 38, // record: handshake, TLS 1.1, length
                0x02, 0x00, 0x00, 38,                           // ServerHello, length
                0x03, 0x02}) {                                   // server_version TLS 1.1
            hello[i++] = (byte) b;
        }
        System.arraycopy(random, 0, hello, i, 32);
        i += 32;
        for (int b : new int[] {0x00, 0xC0, 0x13, 0x00}) { // no session id, ECDHE_RSA_WITH_AES_128_CBC_SHA, null
            hello[i++] = (byte) b;
        }
        return answering(hello, "tls11-only-server");
    }

    /** Answers every ClientHello with a fatal {@code protocol_version} alert. */
    public static FaultServer refusingProtocolVersion() throws IOException {
        return answering(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46}, "protocol-version-refusing-server");
    }

    private static FaultServer answering(byte[] answer, String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new FaultServer(server, name, socket -> {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            in.readFully(header); // the ClientHello's record header, then its body
            in.readFully(new byte[((header[3] & 0xFF) << 8) | (header[4] & 0xFF)]);
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
            while (in.read(header) != -1) {
                // let the client close first (it answers with an alert), so it never sees a reset
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
