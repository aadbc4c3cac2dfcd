"""paho-mqtt (MQTT 3.1.1) over TLS to EMQX Cloud Serverless.

Connects, subscribes, publishes MQTT_MESSAGES messages at QoS 1, waits for every one to come back, disconnects;
and survives a dropped connection on the way.

Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883), MQTT_CA_FILE, MQTT_TOPIC,
MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10 per second). See README.md.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
import time

import paho.mqtt.client as mqtt

from callbacks import Callbacks
from example_settings import Settings, from_environment
from failures import ConnectTimeout, report
from publish_pace import PublishPace
from round_trip import RoundTrip, window_for

TIMEOUT_SECONDS = 10
# At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time.
WINDOW = 100


def main() -> int:
    settings = None
    try:
        settings = from_environment(os.environ, "python")
        run(settings)
        return 0
    except Exception as error:  # every failure ends in one line and a non-zero exit code
        return report(error, settings, os.environ)


def run(settings: Settings) -> None:
    # 1. Address: MQTT over TLS. Serverless has no plaintext port.
    print(f"Connecting to ssl://{settings.host}:{settings.port} as {settings.username}"
          f" (trust: {settings.trust_description()})", flush=True)

    # [START tls_options]
    # 2. TLS: verifies the server's chain against MQTT_CA_FILE (then only that), or against the system's default
    #    trust store, which already trusts Serverless' DigiCert root. create_default_context() also requires a
    #    certificate and turns host name checking on; say so here so that nobody copies a version with it off.
    context = ssl.create_default_context(cafile=settings.ca_file)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    # [END tls_options]

    # [START session]
    # 3. A session that outlives the connection (clean_session=False): while this client is away the broker keeps
    #    its subscription and queues its QoS 1 messages; paho-mqtt keeps the messages that have no PUBACK yet, and
    #    those published while the connection is down, and sends them after the reconnect, which its network
    #    thread makes by itself: after 1 s, then 2 s, then every 4 s. It allows 20 in flight: raised to the window.
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=settings.client_id,
                         clean_session=False, protocol=mqtt.MQTTv311)
    client.reconnect_delay_set(min_delay=1, max_delay=4)
    client.max_inflight_messages_set(WINDOW)
    # [END session]
    client.username_pw_set(settings.username, settings.password)
    # paho-mqtt passes MQTT_HOST to the TLS socket as server_hostname: sent as SNI (which Serverless requires;
    # Python sends none for an IP address) and checked against the certificate.
    client.tls_set_context(context)
    client.connect_timeout = TIMEOUT_SECONDS

    # Counts PUBACKs and returning messages, and keeps the window (round_trip.py).
    round_trip = RoundTrip(settings.client_id, settings.messages)
    # A reconnect with no CONNACK within 10 s is dropped and tried again (callbacks.py says why).
    callbacks = Callbacks(settings.topic, round_trip, connack_timeout=TIMEOUT_SECONDS)
    callbacks.attach(client)
    finished = False
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        connect_within(client, settings, TIMEOUT_SECONDS)  # TCP and the TLS handshake
        client.loop_start()  # the network thread: reads, writes, pings and reconnects
        callbacks.await_first_connack(max(deadline - time.monotonic(), 0.1))
        print(f"Connected with client id {settings.client_id}", flush=True)

        # 4. Subscribe first, so our own messages come back to us. The broker refuses with SUBACK 0x80 (the
        #    ACL, or Serverless' subscription quota).
        client.subscribe(settings.topic, qos=1)
        callbacks.await_suback(TIMEOUT_SECONDS)
        print(f"Subscribed to {settings.topic} at QoS 1", flush=True)

        # [START publish_loop]
        # 5. Publish at QoS 1 without waiting for each PUBACK, but with at most WINDOW messages unfinished, and at
        #    most MQTT_PUBLISH_RATE messages per second: over 10 per second, Serverless drops an MQTT 3.1.1
        #    client's messages without a word (the PUBACK looks normal), so the pace is kept here.
        pace = PublishPace(settings.publish_rate)
        # Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
        window = window_for(WINDOW, settings.publish_rate)
        for i in range(1, settings.messages + 1):
            round_trip.await_room(window)
            pace.await_turn()
            # While the connection is down, paho-mqtt keeps the message and sends it after the reconnect.
            info = client.publish(settings.topic, round_trip.payload(i), qos=1)
            round_trip.sent(i, info.mid)
        # [END publish_loop]
        round_trip.await_all_acknowledged()
        print(f"Published {settings.messages}/{settings.messages} messages to {settings.topic} at QoS 1", flush=True)

        # 6. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
        round_trip.await_all_received()
        print(f"Received {settings.messages}/{settings.messages} messages on {settings.topic}"
              f" ({round_trip.duplicates} duplicates)", flush=True)

        # 7. Done: DISCONNECT, and no reconnect from here on. MQTT 3.1.1 cannot end the session in the DISCONNECT:
        #    the broker drops it after its own expiry for MQTT 3.1.1 sessions (EMQX: 2 hours by default).
        callbacks.close()
        client.disconnect()
        client.loop_stop()
        finished = True
        print("Disconnected", flush=True)
    finally:
        if not finished:
            callbacks.close()
            client.disconnect()  # after a failure: no reconnect; the network thread ends with the process


def connect_within(client: mqtt.Client, settings: Settings, seconds: float) -> None:
    """client.connect() (TCP, then the TLS handshake, then CONNECT sent), or ConnectTimeout after `seconds`.

    paho-mqtt bounds the TCP connect by connect_timeout, but the TLS handshake by the keep-alive interval (60 s),
    so the whole call runs on a daemon thread that is given `seconds`.
    """
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            client.connect(settings.host, settings.port, keepalive=60)
            outcome.append(None)
        except BaseException as error:  # handed to the main thread
            outcome.append(error)

    thread = threading.Thread(target=connect, name="mqtt-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        raise ConnectTimeout(f"no TLS connection within {seconds:.0f} s")
    if outcome[0] is not None:
        raise outcome[0]


if __name__ == "__main__":
    sys.exit(main())
