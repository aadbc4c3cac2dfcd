"""A first connect without its CONNACK after TLS completed is a CONNECT the server never answered, and says so.

example.py waits for the first CONNACK only once client.connect() has returned: TCP, the TLS handshake and the CONNECT
done. A connection that never got through TLS ends in connect_within's timeout instead, which keeps its line.
"""

import unittest

from callbacks import Callbacks
from example_settings import from_environment
from failures import ConnectTimeout, UnansweredConnect, describe
from round_trip import RoundTrip

SETTINGS = from_environment({"MQTT_HOST": "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME": "demo",
                             "MQTT_PASSWORD": "secret"}, "python")


class UnansweredConnectTest(unittest.TestCase):

    def test_no_connack_after_the_connection_opened_is_a_connect_never_answered(self):
        callbacks = Callbacks("t", RoundTrip("python-test", 1), connack_timeout=10)

        with self.assertRaises(UnansweredConnect) as raised:
            callbacks.await_first_connack(0.05)  # nothing answers

        line = describe(raised.exception, SETTINGS)
        self.assertTrue(line.startswith("The server accepted the connection (TLS completed) but never answered the MQTT"
                                        " CONNECT within 10 s. Usually the deployment is starting or overloaded"), line)
        self.assertNotIn("timed out", line)

    def test_a_connection_that_never_got_through_tls_still_timed_out(self):
        line = describe(ConnectTimeout("no TLS connection within 10 s"), SETTINGS)

        self.assertTrue(line.startswith("The connection timed out."), line)


if __name__ == "__main__":
    unittest.main()
