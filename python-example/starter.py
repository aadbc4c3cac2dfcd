"""paho-mqtt (MQTT 3.1.1) to EMQX Cloud Serverless over TLS, in one file to copy whole.

Connects, subscribes, publishes one QoS 1 message, receives it back, disconnects.

Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the console's
emqxsl-ca.crt; without it the system's default trust store, which already trusts Serverless' DigiCert root).
"""

import os
import queue
import re
import secrets
import ssl
import sys
import threading
import time
import traceback

import paho.mqtt.client as mqtt

TIMEOUT_SECONDS = 10  # every wait below ends after 10 s at most


def main() -> int:
    try:
        run()
        return 0
    except Exception as error:  # every failure ends in one line and exit code 1
        # One line with the library's own words; the traceback only when asked for.
        print(f"ERROR: {one_line(error)}", file=sys.stderr)
        if os.environ.get("MQTT_DEBUG") == "true":
            traceback.print_exc()
        return 1


def run() -> None:
    host, username, password = (required(name) for name in ("MQTT_HOST", "MQTT_USERNAME", "MQTT_PASSWORD"))
    port = int(os.environ.get("MQTT_PORT") or 8883)
    ca_file = os.environ.get("MQTT_CA_FILE") or None
    client_id = f"paho-py-{secrets.token_hex(4)}"
    topic = f"serverless-examples/{client_id}"
    payload = f"Hello from {client_id} #1"

    # "ssl://": MQTT over TLS. Serverless offers no plaintext port.
    trust = "system default trust store" if ca_file is None else f"MQTT_CA_FILE {ca_file}"
    print(f"Connecting to ssl://{host}:{port} as {username} (trust: {trust})")
    # Only the certificates in MQTT_CA_FILE, or (None) the system's default trust store.
    context = ssl.create_default_context(cafile=ca_file)
    # The certificate must be for MQTT_HOST. create_default_context() already checks it; said here so that it
    # stays on. paho-mqtt passes MQTT_HOST as server_hostname, so Python also sends it as SNI: Serverless serves
    # many deployments on one address and refuses a handshake without the deployment's name. That is why
    # MQTT_HOST is the console's domain name, never an IP address (which Python would not send as SNI anyway).
    context.check_hostname = True
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
    client.username_pw_set(username, password)  # Serverless has no anonymous access
    client.tls_set_context(context)

    # What paho-mqtt's network thread reports to this one, as (what, value), in the order it comes.
    events = queue.Queue()
    client.on_connect = lambda c, userdata, flags, reason_code, properties: events.put(("CONNACK", reason_code))
    client.on_subscribe = lambda c, userdata, mid, reason_codes, properties: events.put(("SUBACK", reason_codes[0]))
    client.on_message = lambda c, userdata, message: events.put(("message", message.payload.decode()))
    client.on_disconnect = lambda c, userdata, flags, reason_code, properties: events.put(("closed", reason_code))

    def expect(what):
        """The value of the next report of `what`, within 10 s. A refusal, an error or a lost connection raises."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            try:
                kind, value = events.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise TimeoutError(f"no {what} within {TIMEOUT_SECONDS} s") from None
            if kind == "error":
                raise value
            if kind == "closed" and what != "closed":
                raise ConnectionResetError(f"the connection closed: {value}")
            if kind == what and getattr(value, "is_failure", False):  # a CONNACK or SUBACK that says no
                raise ConnectionRefusedError(f"{what} refused: {value}")
            if kind == what:
                return value

    def connect():
        try:
            client.connect(host, port)  # TCP, the TLS handshake, then CONNECT sent
            client.loop_start()  # the network thread: reads, writes, calls the callbacks above
        except Exception as error:  # handed to the main thread
            events.put(("error", error))

    # paho-mqtt bounds the TCP connect by connect_timeout, but the TLS handshake only by the keep-alive (60 s):
    # so the connect runs on a daemon thread, and the main thread waits 10 s at most for its CONNACK.
    threading.Thread(target=connect, daemon=True).start()
    try:
        expect("CONNACK")  # raises on a refusal, e.g. a wrong password
        print(f"Connected with client id {client_id}")

        # Subscribe before publishing, so that our own message comes back to us.
        client.subscribe(topic, qos=1)
        expect("SUBACK")  # raises on a refusal (0x80), usually the ACL's
        print(f"Subscribed to {topic} at QoS 1")

        message = client.publish(topic, payload, qos=1)
        message.wait_for_publish(TIMEOUT_SECONDS)  # returns once the broker's PUBACK is in
        if not message.is_published():
            raise TimeoutError(f"no PUBACK within {TIMEOUT_SECONDS} s")
        print(f"Published 1/1 messages to {topic} at QoS 1")

        if expect("message") != payload:
            raise ValueError(f"another message came back on {topic}")
        print(f"Received 1/1 messages on {topic} (0 duplicates)")
        client.disconnect()
        expect("closed")  # on_disconnect: the DISCONNECT is out and the socket closed
        client.loop_stop()  # the network thread has ended, or ends right now
        print("Disconnected")
    finally:
        client.disconnect()  # after a failure: no reconnect; the network thread ends with the process


def required(name: str) -> str:
    if not os.environ.get(name):  # an empty value counts as not set
        raise ValueError(f"{name} is not set: see README.md for what to export")
    return os.environ[name]


def one_line(error: BaseException) -> str:
    """The messages of the exception and its causes, in one line."""
    line = str(error) or type(error).__name__
    return re.sub(r"\s+", " ", line + (f": {one_line(error.__cause__)}" if error.__cause__ else "")).strip()


if __name__ == "__main__":
    sys.exit(main())

# What example.py, in this folder, adds, and when you need it:
# - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect, nothing lost;
# - more than 10 messages a second: Serverless drops the excess of an MQTT 3.1.1 client unseen, so it paces itself;
# - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
