package serverless.doctor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Asks the WSS port for a WebSocket upgrade on the path and returns the HTTP status line, to explain why
 * MQTT over WebSocket failed: {@code HTTP/1.1 101 Switching Protocols} means the path is right, a 404 or
 * no answer means it is not. The connection is verified like any other (trusted chain, host name, SNI) and
 * closed after the status line; no credentials go over it.
 */
final class WebSocketProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** "HTTP/1.1 404 Not Found": the status code and its reason phrase. */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: (.+))?");

    private WebSocketProbe() {
    }

    /** What the probe got, for the step's line: "HTTP 404 (Not Found)", or "no answer to the upgrade within 3 s". */
    static String inWords(Optional<String> statusLine) {
        if (statusLine.isEmpty()) {
            return "no answer to the upgrade within " + TIMEOUT.toSeconds() + " s";
        }
        Matcher status = STATUS_LINE.matcher(statusLine.get());
        return status.matches() ? "HTTP " + status.group(1) + (status.group(2) == null ? "" : " (" + status.group(2) + ")")
                : "\"" + statusLine.get() + "\" instead of an HTTP status line";
    }

    /** The status line, or empty when the server closed the connection or said nothing within {@link #TIMEOUT}. */
    static Optional<String> upgrade(String host, int port, String path, SSLSocketFactory sockets, boolean sendSni) {
        int timeout = (int) TIMEOUT.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeout);
            plain.setSoTimeout(timeout);
            try (SSLSocket tls = (SSLSocket) sockets.createSocket(plain, host, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(sendSni ? List.of(new SNIHostName(host)) : List.of());
                tls.setSSLParameters(parameters);
                byte[] key = new byte[16];
                new SecureRandom().nextBytes(key);
                String request = "GET " + path + " HTTP/1.1\r\n"
                        + "Host: " + host + ":" + port + "\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                        + "Sec-WebSocket-Protocol: mqtt\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";
                OutputStream out = tls.getOutputStream();
                out.write(request.getBytes(ISO_8859_1));
                out.flush();
                String statusLine = new BufferedReader(new InputStreamReader(tls.getInputStream(), ISO_8859_1)).readLine();
                return Optional.ofNullable(statusLine).filter(line -> !line.isBlank());
            }
        } catch (IOException noAnswer) {
            return Optional.empty();
        }
    }
}
