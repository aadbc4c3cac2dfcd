package serverless.harness.broker;

import serverless.harness.Transport;
import java.time.Instant;

/**
 * One CONNECT the broker authenticated (accepted or refused). Never holds the password.
 *
 * @param time when the broker saw it
 * @param clientId the client identifier from the CONNECT
 * @param username the user name from the CONNECT; empty when the client sent none
 * @param sniHostname the SNI host name the broker saw in the TLS handshake; empty when none
 * @param tlsProtocol the TLS version the handshake agreed on, e.g. {@code TLSv1.3}
 * @param transport the listener the client came through
 * @param mqttVersion {@code 3.1}, {@code 3.1.1} or {@code 5}
 * @param accepted whether the CONNACK accepted the connection
 * @param reasonCode the CONNACK reason: {@code SUCCESS}, {@code BAD_USER_NAME_OR_PASSWORD} (MQTT 3.1.1 code 4,
 *     MQTT 5 0x86) or {@code NOT_AUTHORIZED} (code 5, 0x87)
 */
public record ConnectionRecord(Instant time, String clientId, String username, String sniHostname,
        String tlsProtocol, Transport transport, String mqttVersion, boolean accepted, String reasonCode) {
}
