package serverless.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebSocketProbeTest {

    @Test
    void theStatusLineBecomesTheStatusInWords() {
        assertEquals("HTTP 404 (Not Found)", WebSocketProbe.inWords(Optional.of("HTTP/1.1 404 Not Found")));
        assertEquals("HTTP 400", WebSocketProbe.inWords(Optional.of("HTTP/1.1 400")));
        assertEquals("no answer to the upgrade within 3 s", WebSocketProbe.inWords(Optional.empty()));
        assertEquals("\"SSH-2.0-OpenSSH\" instead of an HTTP status line", WebSocketProbe.inWords(Optional.of("SSH-2.0-OpenSSH")));
    }
}
