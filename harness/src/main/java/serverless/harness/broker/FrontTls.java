package serverless.harness.broker;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The TLS of the WebSocket front, which must read the HTTP request to check its path and so terminates TLS
 * itself: a server side that is the broker's own (same key store, same protocols, Netty's JDK provider and
 * default ciphers, as HiveMQ builds its listener's context), and a client side for the leg to the broker's
 * internal listener that repeats the client's handshake, so the broker still records the client's SNI and
 * TLS version.
 */
public final class FrontTls {

    private final SslContext server;
    private final X509Certificate[] trusted;
    /** One client context per protocol (at most TLS 1.3 and 1.2), built on first use rather than per connection. */
    private final Map<String, SslContext> clients = new ConcurrentHashMap<>();

    private FrontTls(SslContext server, X509Certificate[] trusted) {
        this.server = server;
        this.trusted = trusted;
    }

    /**
     * @param serverKeyStore the broker's PKCS12 key store (key and chain for the deployment's name)
     * @param password its store and key password
     * @param caCertificate the PEM CA the leg to the broker trusts
     * @param tlsProtocols the broker's protocols, e.g. {@code TLSv1.2}; empty means Netty's (and HiveMQ's)
     *     default, TLS 1.3 and 1.2
     */
    public static FrontTls of(Path serverKeyStore, char[] password, Path caCertificate, List<String> tlsProtocols)
            throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(serverKeyStore)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SslContextBuilder server = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK);
            if (!tlsProtocols.isEmpty()) {
                server.protocols(tlsProtocols);
            }
            X509Certificate[] trusted;
            try (InputStream in = Files.newInputStream(caCertificate)) {
                trusted = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            }
            return new FrontTls(server.build(), trusted);
        } catch (GeneralSecurityException e) {
            throw new IOException("the WebSocket front's TLS could not be set up from " + serverKeyStore + " and "
                    + caCertificate + ": " + e, e);
        }
    }

    /** The client-facing side: a new server handler per connection. */
    SslHandler serverHandler(ByteBufAllocator alloc) {
        return server.newHandler(alloc);
    }

    /**
     * The leg to the broker: offers exactly {@code protocol} (the one the client agreed on with the front) and
     * sends {@code sni} (the client's, byte for byte) as SNI; verifies the broker's certificate for that name
     * against the test CA. No session is resumed (no peer host is given), so every leg is a full handshake
     * with this connection's own SNI.
     */
    SslHandler backendHandler(ByteBufAllocator alloc, String sni, String protocol) {
        SslHandler handler = clients.computeIfAbsent(protocol, this::clientContext).newHandler(alloc);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the JDK checks the SNI name when there is no peer host
        engine.setSSLParameters(parameters);
        return handler;
    }

    private SslContext clientContext(String protocol) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trusted)
                    .protocols(protocol)
                    .build();
        } catch (SSLException e) { // not expected: the certificates were read at start
            throw new UncheckedIOException("the WebSocket front's leg to the broker cannot use " + protocol + ": " + e, e);
        }
    }
}
