package serverless.harness.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS connection as the tests and the suite's probes open one, as a client: a TCP connection to an address, then a
 * handshake for a server name. The address may be where the name leads (an IP address), so that a probe reaches a
 * broker whose name this JVM cannot resolve; the name is what the JDK sends as SNI (only a dotted one: none for an
 * IP address or {@code localhost}) and, where asked, what the certificate must name, as the examples' JVMs check it.
 *
 * <pre>{@code TlsClient.to(address, port, trust).named(host).verifyingTheName().handshake()}</pre>
 */
public final class TlsClient {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String address;
    private final int port;
    private final SSLContext trust;
    private String name;
    /** Present: exactly these SNI names (none, or another name than {@link #name}); empty: what the JDK sends. */
    private Optional<List<SNIServerName>> sni = Optional.empty();
    private boolean verifyName;
    private List<String> protocols = List.of();
    private Duration timeout = DEFAULT_TIMEOUT;

    private TlsClient(String address, int port, SSLContext trust) {
        this.address = address;
        this.port = port;
        this.trust = trust;
        this.name = address;
    }

    /**
     * To {@code address} (an IP address, or a name this JVM resolves) and {@code port}, trusting what {@code trust}
     * trusts. The server's name is the address unless {@link #named} says otherwise.
     */
    public static TlsClient to(String address, int port, SSLContext trust) {
        return new TlsClient(address, port, trust);
    }

    /** The server's name: sent as SNI (if dotted) and checked against the certificate with {@link #verifyingTheName()}. */
    public TlsClient named(String serverName) {
        this.name = serverName;
        return this;
    }

    /** Sends exactly {@code serverName} as SNI, whatever the server's name; when empty, no SNI at all. */
    public TlsClient sni(Optional<String> serverName) {
        this.sni = Optional.of(serverName.<List<SNIServerName>>map(value -> List.of(new SNIHostName(value))).orElse(List.of()));
        return this;
    }

    /** Checks the certificate against the server's name, as HTTPS does (the JDK checks none unless told). */
    public TlsClient verifyingTheName() {
        this.verifyName = true;
        return this;
    }

    /** Offers only these TLS versions (e.g. {@code TLSv1.3}). */
    public TlsClient offering(List<String> versions) {
        this.protocols = List.copyOf(versions);
        return this;
    }

    /** Bounds the TCP connect and every read (5 s unless told). */
    public TlsClient within(Duration bound) {
        this.timeout = bound;
        return this;
    }

    /** Connects and completes the handshake; the socket is closed if either fails. */
    public SSLSocket handshake() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, name, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            sni.ifPresent(parameters::setServerNames);
            if (verifyName) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!protocols.isEmpty()) {
                parameters.setProtocols(protocols.toArray(String[]::new));
            }
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
