package serverless.harness.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import serverless.harness.CompleteTier;

@CompleteTier
class UnansweredConnectTest {

    @Test
    void readsTheClientIdOfAnMqtt311Connect() {
        assertEquals(Optional.of("paho-1234"), UnansweredConnect.clientId(connect(4, new byte[0], "paho-1234")));
    }

    @Test
    void readsTheClientIdOfAnMqtt5ConnectPastItsProperties() {
        byte[] properties = {0x11, 0, 0, 0x0E, 0x10}; // session expiry interval: 3600 s
        assertEquals(Optional.of("hivemq-5"), UnansweredConnect.clientId(connect(5, properties, "hivemq-5")));
    }

    @Test
    void waitsForTheWholeClientIdAndIgnoresWhatIsNotAConnect() {
        ByteBuf whole = connect(4, new byte[0], "node-abcdef");
        int clientIdEnd = whole.readableBytes() - 6; // the user name follows it
        for (int length = 0; length < clientIdEnd; length++) {
            assertEquals(Optional.empty(), UnansweredConnect.clientId(whole.slice(0, length)), "first " + length + " bytes");
        }
        assertEquals(Optional.of("node-abcdef"), UnansweredConnect.clientId(whole.slice(0, clientIdEnd)));
        assertEquals(Optional.empty(), UnansweredConnect.clientId(
                Unpooled.copiedBuffer("GET /mqtt HTTP/1.1\r\n", StandardCharsets.US_ASCII)));
    }

    /** An MQTT CONNECT of protocol level {@code level} (4: 3.1.1, 5: 5) with a user name after the client id. */
    private static ByteBuf connect(int level, byte[] properties, String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', (byte) level, (byte) 0x80, 0, 60});
        if (level == 5) {
            body.write(properties.length);
            body.writeBytes(properties);
        }
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(new byte[] {0, (byte) id.length});
        body.writeBytes(id);
        body.writeBytes(new byte[] {0, 4, 'u', 's', 'e', 'r'});
        ByteBuf packet = Unpooled.buffer();
        packet.writeByte(0x10).writeByte(body.size()).writeBytes(body.toByteArray()); // remaining length < 128
        return packet;
    }
}
