package serverless.examples.paho;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server on 127.0.0.1 that completes the TLS handshake, for {@code localhost}, and then never answers, as a
 * deployment that is starting may: a client's CONNECT gets no CONNACK. Its certificate is made for the test with the
 * JDK's keytool; {@link #clientSockets()} trusts it.
 */
final class SilentTlsServer implements AutoCloseable {

    private static final char[] PASSWORD = "test-only".toCharArray();

    private final KeyStore keyStore;
    private final SilentServer server;

    SilentTlsServer(Path folder) throws IOException, GeneralSecurityException, InterruptedException {
        keyStore = keyStoreFor("localhost", folder.resolve("server.p12"));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = new SilentServer(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                connection -> ((SSLSocket) connection).startHandshake()); // and then not a word
    }

    String sslUri() {
        return "ssl://localhost:" + server.port();
    }

    /** The JDK's TLS sockets, trusting this server's certificate only. */
    SSLSocketFactory clientSockets() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls.getSocketFactory();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** A key and a self-signed certificate for {@code host}, made by keytool (no test library needed). */
    private static KeyStore keyStoreFor(String host, Path file)
            throws IOException, GeneralSecurityException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process made = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(made.getInputStream().readAllBytes());
        if (made.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
