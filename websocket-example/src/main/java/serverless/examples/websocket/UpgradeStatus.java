package serverless.examples.websocket;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Asks the server once more for the WebSocket upgrade, to learn the HTTP status of a refusal. Paho reads
 * the status line of a refused upgrade and drops it (its IOException says only "WebSocket Response header:
 * ..."), yet the status is what tells a wrong path (EMQX answers 404) from other refusals.
 *
 * <p>The connection is verified like the example's own (its trust, host name verification, MQTT_HOST sent as
 * SNI) and closed after the status line; no credentials go over it.
 */
final class UpgradeStatus {

    static final int SWITCHING_PROTOCOLS = 101;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** "HTTP/1.1 404 Not Found": the status code. */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");

    private UpgradeStatus() {
    }

    /** The HTTP status of the upgrade on wss://HOST:PORT/PATH (101 when it works), or empty without an answer. */
    static OptionalInt ask(ExampleSettings settings) {
        int timeout = (int) TIMEOUT.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), timeout);
            plain.setSoTimeout(timeout);
            // Given the host name, the JDK sends it as SNI; "HTTPS" checks the certificate against it.
            SSLSocket tls = (SSLSocket) TrustedSocketFactory.create(settings.caFile())
                    .createSocket(plain, settings.host(), settings.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            OutputStream out = tls.getOutputStream();
            out.write(("GET " + settings.webSocketPath() + " HTTP/1.1\r\n"
                    + "Host: " + settings.host() + ":" + settings.port() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(ISO_8859_1));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(tls.getInputStream(), ISO_8859_1)).readLine();
            Matcher status = STATUS_LINE.matcher(statusLine == null ? "" : statusLine);
            return status.matches() ? OptionalInt.of(Integer.parseInt(status.group(1))) : OptionalInt.empty();
        } catch (IOException | GeneralSecurityException noAnswer) {
            return OptionalInt.empty(); // closed, silent, or not even TLS: there is no status to tell
        }
    }
}
