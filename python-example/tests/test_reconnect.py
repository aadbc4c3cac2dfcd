"""A reconnect that the server accepts and never answers is dropped after the bound and tried again (callbacks.py).

Against a small MQTT server of this test, over plain TCP: the bound is on the CONNACK, after TCP and TLS, and
RestartIT proves it over TLS against the local broker.
"""

import io
import socket
import threading
import time
import unittest
from contextlib import redirect_stdout

import paho.mqtt.client as mqtt

from callbacks import Callbacks
from round_trip import RoundTrip

# The test's bound on a reconnect's CONNACK (the example's is 10 s): short, so that the test takes a second.
BOUND = 0.5
CONNECT, PUBLISH = 1, 3


class Connection:
    """What the server saw of one connection."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.opened = time.monotonic()
        self.clean_session = None
        self.publishes = []
        self.lasted = None  # seconds from accept to its end
        self.ended = threading.Event()


class SilentOnceServer:
    """Answers connection 1, takes one QoS 1 PUBLISH without a PUBACK and drops the connection, then, as a deployment
    that is restarting may, leaves connection 2's CONNECT unanswered; connection 3 and later get a CONNACK with the
    session present and a PUBACK for each PUBLISH."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.connections = []
        self._accepted = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def connection(self, number: int, timeout: float = 5) -> Connection:
        """Connection `number` (1, 2, ...), once accepted; AssertionError when it is not within `timeout` s."""
        with self._accepted:
            if not self._accepted.wait_for(lambda: len(self.connections) >= number, timeout):
                raise AssertionError(f"no connection {number} within {timeout} s: {len(self.connections)} so far")
            return self.connections[number - 1]

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._accepted:
                connection = Connection(len(self.connections) + 1)
                self.connections.append(connection)
                self._accepted.notify_all()
            threading.Thread(target=self._serve, args=(conn, connection), daemon=True).start()

    @staticmethod
    def _serve(conn: socket.socket, connection: Connection) -> None:
        with conn, conn.makefile("rb") as stream:
            for kind, body in packets(stream):
                if kind == CONNECT:
                    connection.clean_session = bool(body[7] & 0x02)  # after "MQTT" and the protocol level
                    if connection.number != 2:
                        conn.sendall(bytes([0x20, 2, 0 if connection.number == 1 else 1, 0]))  # CONNACK
                elif kind == PUBLISH:
                    topic_end = 2 + int.from_bytes(body[:2], "big")
                    connection.publishes.append(body[topic_end + 2:].decode())
                    if connection.number == 1:
                        break  # dropped without its PUBACK
                    conn.sendall(bytes([0x40, 2]) + body[topic_end:topic_end + 2])  # PUBACK
        connection.lasted = time.monotonic() - connection.opened
        connection.ended.set()


def packets(stream):
    """(packet type, body) of each MQTT packet on the stream, until it ends."""
    try:
        while header := stream.read(1):
            length, shift = 0, 0
            while (byte := stream.read(1)) and byte[0] & 0x80:
                length |= (byte[0] & 0x7F) << shift
                shift += 7
            if not byte:
                return
            length |= byte[0] << shift
            yield header[0] >> 4, stream.read(length)
    except OSError:
        return  # reset


class UnansweredReconnectTest(unittest.TestCase):
    def test_a_reconnect_without_connack_is_dropped_after_the_bound_and_tried_again(self):
        server = SilentOnceServer()
        self.addCleanup(server.close)
        topic = "serverless-examples/python-test"
        round_trip = RoundTrip("python-test", 1)
        callbacks = Callbacks(topic, round_trip, connack_timeout=BOUND)
        # As example.py makes it, but for a quick back-off.
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="python-test", clean_session=False,
                             protocol=mqtt.MQTTv311)
        client.reconnect_delay_set(min_delay=0.1, max_delay=0.2)
        callbacks.attach(client)
        printed = io.StringIO()
        with redirect_stdout(printed):
            client.connect("127.0.0.1", server.port, keepalive=60)  # paho-mqtt's own wait for a CONNACK: 60 s
            client.loop_start()
            try:
                callbacks.await_first_connack(5)
                info = client.publish(topic, round_trip.payload(1), qos=1)
                round_trip.sent(1, info.mid)
                # Connection 2 gets no CONNACK: paho-mqtt alone would keep it until the keep-alive (60 s) runs out.
                unanswered = server.connection(2)
                self.assertTrue(unanswered.ended.wait(BOUND + 5), "the unanswered reconnect was not given up")
                round_trip.await_all_acknowledged()  # the PUBACK of the message sent again, on connection 3
                third = server.connection(3)
                self.assertFalse(third.ended.wait(2 * BOUND), "a reconnect that got its CONNACK must stay")
            finally:
                callbacks.close()
                client.disconnect()
                client.loop_stop()

        self.assertEqual(3, len(server.connections), "the first, the unanswered one, the one that worked")
        first = server.connection(1)
        self.assertGreaterEqual(unanswered.lasted, BOUND - 0.1, "dropped before its bound")
        self.assertEqual([False] * 3, [c.clean_session for c in server.connections], "the session is kept")
        self.assertEqual([round_trip.payload(1)], first.publishes)
        self.assertEqual([round_trip.payload(1)], third.publishes, "the unacknowledged message is sent again")
        self.assertEqual(["Connection lost (the server closed the connection or the network dropped it); reconnecting",
                          "Reconnected (session present: true)"], printed.getvalue().splitlines())


if __name__ == "__main__":
    unittest.main()
