"""The Paho Python stack of the bench (MQTT 3.1.1 over TLS, as python-example): the same work as the Java stacks'
Workload.java, with the same settings from the same environment variables, and its figures as one JSON line after
"BENCH-RESULT ", which bench.jar reads. Run by bench.jar, not by hand."""

import json
import os
import resource
import socket
import ssl
import struct
import sys
import threading
import time

import paho.mqtt.client as mqtt

PAYLOAD_SIZE = 256
TIMEOUT_SECONDS = 10
STALL_SECONDS = 20

env = os.environ
HOST = env["MQTT_HOST"]
PORT = int(env["MQTT_PORT"])
CLIENT_ID = env["BENCH_CLIENT_ID"]
MESSAGES = int(env["BENCH_MESSAGES"])
CONNECTS = int(env["BENCH_CONNECTS"])
LATENCY_RATE = int(env["BENCH_LATENCY_RATE"])
LATENCY_MESSAGES = int(env["BENCH_LATENCY_MESSAGES"])
WINDOW = int(env["BENCH_WINDOW"])
WARMUP = int(env["BENCH_WARMUP"])
PUBLISH_RATE = int(env["MQTT_PUBLISH_RATE"])
measurement = 0


class Window:
    """The in-flight window (Window.java): at most WINDOW unacknowledged and at most WINDOW not yet back."""

    def __init__(self, messages, qos, on_received):
        self.messages, self.qos, self.on_received = messages, qos, on_received
        self.sent = self.acknowledged = self.received = 0
        self.back = bytearray(messages)
        self.failure = None
        self.last_progress = time.monotonic()
        self.changed = threading.Condition()

    def received_payload(self, payload):
        sequence = struct.unpack_from(">i", payload, 0)[0]
        with self.changed:
            if 0 <= sequence < self.messages and not self.back[sequence]:
                self.back[sequence] = 1
                self.on_received(payload)
                self.received += 1
                self.last_progress = time.monotonic()
                self.changed.notify_all()

    def acknowledged_one(self):
        with self.changed:
            self.acknowledged += 1
            self.last_progress = time.monotonic()
            self.changed.notify_all()

    def fail(self, error):
        with self.changed:
            self.failure = self.failure or error
            self.changed.notify_all()

    def wait_until(self, ready):
        with self.changed:
            while not ready():
                if self.failure:
                    raise RuntimeError(self.failure)
                if time.monotonic() - self.last_progress > STALL_SECONDS:
                    raise TimeoutError(f"nothing new for 20 s: {self.received} of {self.messages} back, "
                                       f"{self.acknowledged} acknowledged")
                self.changed.wait(0.1)

    def room_to_send(self):
        done = self.sent if self.qos == 0 else self.acknowledged
        return self.sent - done < WINDOW and self.sent - self.received < WINDOW

    def all_done(self):
        return self.received == self.messages and (self.qos == 0 or self.acknowledged == self.messages)


def connect(client_id, window=None):
    """A new client and connection; returns once CONNACK accepted it. The network thread runs from then on."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True,
                         protocol=mqtt.MQTTv311)
    client.max_inflight_messages_set(WINDOW)  # paho-mqtt allows 20 by default: set to the window
    client.username_pw_set(env["MQTT_USERNAME"], env["MQTT_PASSWORD"])
    # The same trust as python-example: the CA file (or the system's), the host name checked and sent as SNI.
    context = ssl.create_default_context(cafile=env.get("MQTT_CA_FILE") or None)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    client.tls_set_context(context)
    client.connect_timeout = TIMEOUT_SECONDS
    connected = threading.Event()
    refused = []

    def on_connect(_client, _userdata, _flags, reason_code, _properties):
        if reason_code.is_failure:
            refused.append(str(reason_code))
        connected.set()

    client.on_connect = on_connect
    if window is not None:
        client.on_message = lambda _client, _userdata, message: window.received_payload(message.payload)
        # paho-mqtt calls this once a QoS 0 message is sent, and on the PUBACK of a QoS 1 one: a measurement
        # publishes at one QoS only, so only the latter counts.
        client.on_publish = lambda _client, _userdata, _mid, _reason_code, _properties: (
            window.acknowledged_one() if window.qos > 0 else None)
        client.on_disconnect = lambda _client, _userdata, _flags, reason_code, _properties: window.fail(
            f"disconnected: {reason_code}")
    client.connect(HOST, PORT, keepalive=60)  # TCP and the TLS handshake
    # Nagle's algorithm off, as for every stack: paho-mqtt does not set it.
    client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client.loop_start()
    if not connected.wait(TIMEOUT_SECONDS) or refused:
        client.loop_stop()
        raise RuntimeError(f"no CONNACK within {TIMEOUT_SECONDS} s" if not refused else f"CONNACK: {refused[0]}")
    return client


def close(client):
    client.on_disconnect = None
    client.disconnect()
    client.loop_stop()


def subscribe(client, topic, qos):
    granted = threading.Event()
    client.on_subscribe = lambda _client, _userdata, _mid, reason_codes, _properties: granted.set()
    client.subscribe(topic, qos)
    if not granted.wait(TIMEOUT_SECONDS):
        raise TimeoutError(f"no SUBACK within {TIMEOUT_SECONDS} s")


def payload(sequence, due_nanos):
    return struct.pack(">iq", sequence, due_nanos).ljust(PAYLOAD_SIZE, b"\0")


def publish(client, window, topic, data, qos):
    with window.changed:
        window.sent += 1
    # Not under the window's lock: paho-mqtt calls on_publish under a lock of its own that publish() also takes.
    info = client.publish(topic, data, qos)
    if info.rc != mqtt.MQTT_ERR_SUCCESS:
        window.fail(f"publish failed: {mqtt.error_string(info.rc)}")


def connect_times(count):
    micros = []
    for i in range(count):
        start = time.perf_counter_ns()
        client = connect(f"{CLIENT_ID}-c{i}")
        micros.append((time.perf_counter_ns() - start) // 1000)
        close(client)
    return micros


def next_topic():
    global measurement
    measurement += 1
    return f"bench/{CLIENT_ID}/{measurement}"


def throughput(qos, messages):
    window = Window(messages, qos, lambda _payload: None)
    client = connect(CLIENT_ID, window)
    try:
        topic = next_topic()
        subscribe(client, topic, qos)
        interval = 1 / PUBLISH_RATE if PUBLISH_RATE > 0 else 0
        start = time.perf_counter_ns()
        for i in range(messages):
            window.wait_until(window.room_to_send)
            if interval:
                time.sleep(interval)
            publish(client, window, topic, payload(i, time.perf_counter_ns()), qos)
        window.wait_until(window.all_done)
        return messages / ((time.perf_counter_ns() - start) / 1e9)
    finally:
        close(client)


def latency(messages):
    micros = []
    window = Window(messages, 1, lambda data: micros.append(
        max(0, (time.perf_counter_ns() - struct.unpack_from(">q", data, 4)[0]) // 1000)))
    client = connect(CLIENT_ID, window)
    try:
        topic = next_topic()
        subscribe(client, topic, 1)
        interval = 1_000_000_000 // LATENCY_RATE
        start = time.perf_counter_ns()
        for i in range(messages):
            due = start + i * interval
            wait = (due - time.perf_counter_ns()) / 1e9
            if wait > 0:
                time.sleep(wait)
            window.wait_until(window.room_to_send)
            publish(client, window, topic, payload(i, due), 1)
        window.wait_until(window.all_done)
        return micros
    finally:
        close(client)


def peak_rss_bytes():
    """VmHWM from /proc, as the Java stacks report it. Not getrusage's ru_maxrss: that maximum survives exec, so a
    process started by a large JVM reports that JVM's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    if WARMUP > 0:
        connect_times(min(CONNECTS, 10))
        throughput(0, WARMUP)
        throughput(1, WARMUP)
        latency(min(LATENCY_MESSAGES, WARMUP // 4 + 1))
    result = {"stack": env.get("BENCH_STACK"), "transport": "TLS", "connectMicrosValues": connect_times(CONNECTS)}
    cpu_before = cpu_seconds()
    result["qos0PerSecond"] = throughput(0, MESSAGES)
    result["qos1PerSecond"] = throughput(1, MESSAGES)
    result["cpuSeconds"] = cpu_seconds() - cpu_before
    result["latencyMicrosValues"] = latency(LATENCY_MESSAGES)
    result["peakRssBytes"] = peak_rss_bytes()
    result["peakHeapBytes"] = -1
    print("BENCH-RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one line, as the Java stacks print
        print(f"ERROR: {type(error).__name__}: {error}", file=sys.stderr)
        if env.get("BENCH_DEBUG") == "true":
            raise
        sys.exit(1)
