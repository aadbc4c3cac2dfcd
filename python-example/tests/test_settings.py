"""The settings users get wrong, each refused before anything connects, with the line the harness checks."""

import io
import os
import tempfile
import unittest
from contextlib import redirect_stderr

from example_settings import SettingsError, from_environment
from failures import report

REQUIRED = {"MQTT_HOST": "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME": "demo", "MQTT_PASSWORD": "secret"}


def settings(**env):
    return from_environment({**REQUIRED, **env}, "python")


class SettingsTest(unittest.TestCase):
    def refusal(self, **env) -> str:
        with self.assertRaises(SettingsError) as refused:
            from_environment({key: value for key, value in {**REQUIRED, **env}.items() if value is not None}, "python")
        return str(refused.exception)

    def test_defaults(self):
        defaults = settings()
        self.assertEqual(8883, defaults.port)
        self.assertEqual(1, defaults.messages)
        self.assertEqual(10, defaults.publish_rate)
        self.assertRegex(defaults.client_id, r"^python-[0-9a-f]{8}$")
        self.assertLessEqual(len(defaults.client_id), 23)
        self.assertEqual(f"serverless-examples/{defaults.client_id}", defaults.topic)
        self.assertIsNone(defaults.ca_file)
        self.assertEqual("system default trust store", defaults.trust_description())

    def test_the_password_is_never_printed(self):
        self.assertNotIn("secret", repr(settings()))

    def test_an_empty_value_counts_as_not_set(self):
        self.assertTrue(self.refusal(MQTT_HOST="  ").startswith("MQTT_HOST is not set"))
        self.assertEqual(8883, settings(MQTT_PORT="").port)

    def test_each_missing_variable_is_named(self):
        for name in REQUIRED:
            self.assertTrue(self.refusal(**{name: None}).startswith(f"{name} is not set: export {name}="), name)

    def test_a_pasted_url_says_what_to_set_without_repeating_it(self):
        line = self.refusal(MQTT_HOST="mqtts://user:pa55word@abc.emqxsl.com:8883/x")
        self.assertIn("MQTT_HOST=abc.emqxsl.com", line)
        self.assertIn("MQTT_PORT=8883", line)
        self.assertNotIn("pa55word", line)
        self.assertIn("MQTT_HOST=abc.emqxsl.com and MQTT_PORT=8883", self.refusal(MQTT_HOST="abc.emqxsl.com:8883"))
        self.assertIn("MQTT_HOST=abc.emqxsl.com; the port, MQTT_PORT=8084",
                      self.refusal(MQTT_HOST="wss://abc.emqxsl.com:8084/mqtt"))
        self.assertTrue(self.refusal(MQTT_HOST="abc .emqxsl.com").startswith("MQTT_HOST contains a space"))

    def test_ipv6_address_is_refused(self):
        self.assertRegex(self.refusal(MQTT_HOST="2001:db8::1"), r"^MQTT_HOST is an IPv6 address: .*domain name")
        self.assertTrue(self.refusal(MQTT_HOST="[::1]").startswith("MQTT_HOST is an IPv6 address"))
        self.assertTrue(self.refusal(MQTT_HOST="fe80::1%eth0").startswith("MQTT_HOST is an IPv6 address"))
        self.assertIn("a port (8883)", self.refusal(MQTT_HOST="[::1]:8883"))
        self.assertEqual("cafe.emqxsl.com", settings(MQTT_HOST="cafe.emqxsl.com").host)

    def test_topic(self):
        self.assertTrue(self.refusal(MQTT_TOPIC="a/+/b").startswith("MQTT_TOPIC contains the wildcard '+'"))
        self.assertIn("wildcards are for subscribing", self.refusal(MQTT_TOPIC="a/#"))
        self.assertIn("U+0000", self.refusal(MQTT_TOPIC="a\0b"))
        self.assertTrue(self.refusal(MQTT_TOPIC="é" * 40000).startswith(
            "MQTT_TOPIC is 80000 bytes long in UTF-8, and MQTT allows at most 65535"))

    def test_ca_file(self):
        with tempfile.TemporaryDirectory() as folder:
            not_pem = os.path.join(folder, "not.pem")
            with open(not_pem, "w") as file:
                file.write("hello")
            self.assertRegex(self.refusal(MQTT_CA_FILE=folder), r"^MQTT_CA_FILE=.* is a directory")
            self.assertRegex(self.refusal(MQTT_CA_FILE=os.path.join(folder, "missing.crt")), r"cannot be read")
            self.assertRegex(self.refusal(MQTT_CA_FILE=not_pem), r"holds no PEM certificate")

    def test_numbers(self):
        for port in ("0", "65536", "abc", "88.83", "-1"):
            self.assertRegex(self.refusal(MQTT_PORT=port), r"^MQTT_PORT=.* is not a port number")
        for messages in ("0", "-5", "1.5", "ten"):
            self.assertRegex(self.refusal(MQTT_MESSAGES=messages), r"^MQTT_MESSAGES=.* is not a positive whole number")
        for rate in ("+5", "-0", "1.5", "10/s", "١٠"):
            self.assertRegex(self.refusal(MQTT_PUBLISH_RATE=rate), r"^MQTT_PUBLISH_RATE=.* is not a whole number")
        self.assertEqual(0, settings(MQTT_PUBLISH_RATE="0").publish_rate)

    def test_a_settings_error_is_one_line_and_exit_code_2(self):
        printed = io.StringIO()
        with redirect_stderr(printed):
            exit_code = report(SettingsError("MQTT_HOST is not set: export MQTT_HOST=<...>"), None, {})
        self.assertEqual(2, exit_code)
        self.assertEqual("ERROR: MQTT_HOST is not set: export MQTT_HOST=<...>\n", printed.getvalue())


if __name__ == "__main__":
    unittest.main()
