"""Each failure becomes one line with the phrase the harness checks (CONTRIBUTING.md, "The one-line errors")."""

import io
import socket
import ssl
import unittest
from contextlib import redirect_stderr

from example_settings import from_environment
from failures import ConnackRefused, ConnectTimeout, SubscriptionRefused, describe, reason, report
from round_trip import Stalled

SETTINGS = from_environment({"MQTT_HOST": "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME": "demo",
                             "MQTT_PASSWORD": "secret", "MQTT_CLIENT_ID": "c" * 1100}, "python")
BY_IP = from_environment({"MQTT_HOST": "203.0.113.7", "MQTT_USERNAME": "demo", "MQTT_PASSWORD": "secret"}, "python")


def verify_error(code: int) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.verify_code = code
    return error


def ssl_error(reason_name: str, cls=ssl.SSLError) -> ssl.SSLError:
    error = cls(1, f"[SSL: {reason_name}] {reason_name.lower()}")
    error.reason = reason_name
    return error


CASES = [
    ("CONNACK bad user name or password", ConnackRefused(0x86, "Bad user name or password"), ["username or password"]),
    ("CONNACK not authorized", ConnackRefused(0x87, "Not authorized"), ["not authorized"]),
    ("CONNACK client id", ConnackRefused(0x85, "Client identifier not valid"),
     ["client id", "MQTT_CLIENT_ID", "23", "1100 characters"]),
    ("self-signed in chain", verify_error(19), ["not trusted"]),
    ("unknown issuer", verify_error(20), ["not trusted"]),
    ("expired", verify_error(10), ["expired"]),
    ("not yet valid", verify_error(9), ["expired"]),
    ("host name mismatch", verify_error(62), ["does not match"]),
    ("IP address mismatch", verify_error(64), ["does not match"]),
    ("handshake closed (no or wrong SNI)", ssl_error("UNEXPECTED_EOF_WHILE_READING", ssl.SSLEOFError), ["SNI", "TLS port"]),
    ("reset", ConnectionResetError(104, "Connection reset by peer"), ["SNI", "TLS port"]),
    ("not TLS", ssl_error("WRONG_VERSION_NUMBER"), ["TLS port"]),
    ("TLS 1.1 only", ssl_error("UNSUPPORTED_PROTOCOL"), ["TLS version"]),
    ("protocol_version alert", ssl_error("TLSV1_ALERT_PROTOCOL_VERSION"), ["TLS version"]),
    ("refused", ConnectionRefusedError(111, "Connection refused"), ["connection refused"]),
    ("no answer", ConnectTimeout("no CONNACK within 10 s"), ["timed out"]),
    ("socket timeout", TimeoutError("timed out"), ["timed out"]),
    ("not resolved", socket.gaierror(socket.EAI_NONAME, "Name or service not known"), ["could not be resolved"]),
    ("SUBACK 0x80", SubscriptionRefused("SUBACK 0x80"),
     ["refused the subscription", "SUBACK 0x80", "ACL", "Authorization page", "10 subscriptions", "10 levels"]),
    ("messages missing", Stalled("20 of 30 messages did not come back within 20 s of the last one", True),
     ["did not come back", "20 of 30", "ACL", "MQTT_PUBLISH_RATE"]),
]


class FailuresTest(unittest.TestCase):
    def test_each_failure_has_its_phrase_on_one_line(self):
        for name, error, phrases in CASES:
            with self.subTest(name):
                line = describe(error, SETTINGS)
                for phrase in phrases:
                    self.assertIn(phrase.lower(), line.lower())
                self.assertNotIn("\n", line)
                self.assertNotIn("secret", line)

    def test_messages_without_puback_get_no_rate_hint(self):
        line = describe(Stalled("3 of 30 messages were not acknowledged (PUBACK) within 20 s of the last one", False),
                        SETTINGS)
        self.assertIn("ACL", line)
        self.assertNotIn("MQTT_PUBLISH_RATE", line)

    def test_an_ip_address_is_named(self):
        line = describe(ConnectionResetError(104, "reset"), BY_IP)
        self.assertIn("SNI", line)
        self.assertIn("MQTT_HOST 203.0.113.7 is an IP address", line)

    def test_anything_else(self):
        self.assertTrue(describe(OSError("odd"), SETTINGS).startswith("Unexpected failure: OSError: odd. Run again"))

    def test_one_line_and_exit_code_1_and_the_traceback_with_debug(self):
        quiet = io.StringIO()
        with redirect_stderr(quiet):
            exit_code = report(ConnackRefused(0x86, "Bad user name or password"), SETTINGS, {})
        self.assertEqual(1, exit_code)
        self.assertEqual(1, len(quiet.getvalue().splitlines()))
        self.assertTrue(quiet.getvalue().startswith("ERROR: The broker refused the username or password"))
        debug = io.StringIO()
        with redirect_stderr(debug):
            report(ConnackRefused(0x86, "Bad user name or password"), SETTINGS, {"MQTT_DEBUG": "true"})
        self.assertIn("ConnackRefused", debug.getvalue())

    def test_why_a_connection_dropped(self):
        self.assertEqual("the server closed the connection or the network dropped it", reason("Unspecified error"))
        self.assertEqual("Keep alive timeout", reason("Keep alive timeout"))


if __name__ == "__main__":
    unittest.main()
