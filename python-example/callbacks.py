"""The client's callbacks: paho-mqtt calls them on its network thread (loop_start).

They hand every PUBACK and every arriving message to the RoundTrip, report the first CONNACK (or why there was
none) to the main thread, and when the connection drops say so; paho-mqtt itself reconnects, and after a
reconnect whose CONNACK says the session is gone, they subscribe again. A reconnect that has no CONNACK 10 s after
its connection opened is dropped, so that paho-mqtt tries again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Optional

import paho.mqtt.client as mqtt

from failures import ConnackRefused, ConnectTimeout, SubscriptionRefused, UnansweredConnect, reason
from round_trip import RoundTrip


class Callbacks:
    def __init__(self, topic: str, round_trip: RoundTrip, connack_timeout: float) -> None:
        """connack_timeout: how long a reconnect may wait for its CONNACK before it is dropped and tried again."""
        self._topic = topic
        self._round_trip = round_trip
        self._connack_timeout = connack_timeout
        self._lock = threading.Lock()
        self._awaiting_connack = None  # the socket of a reconnect that has had no CONNACK yet
        self._first_connack = threading.Event()
        self._first_failure: Optional[Exception] = None
        self._suback = threading.Event()
        self._subscription_refused = False
        self._connected_before = False
        self._connected = False
        self._closing = False

    def attach(self, client: mqtt.Client) -> None:
        client.on_connect = self.on_connect
        client.on_disconnect = self.on_disconnect
        client.on_subscribe = self.on_subscribe
        client.on_publish = self.on_publish
        client.on_message = self.on_message
        client.on_socket_open = self.on_socket_open
        client.on_socket_close = self.on_socket_close

    def await_first_connack(self, seconds: float) -> None:
        """Returns once the broker accepted the connection; raises what refused it, or UnansweredConnect.

        Called once the connection is open (example.py: TCP, the TLS handshake and the CONNECT done), so no CONNACK
        within `seconds` is a CONNECT the server never answered, not a network that timed out.
        """
        if not self._first_connack.wait(seconds):
            raise UnansweredConnect(f"no CONNACK within {seconds:.0f} s, after TLS completed")
        if self._first_failure is not None:
            raise self._first_failure

    def await_suback(self, seconds: float) -> None:
        if not self._suback.wait(seconds):
            raise ConnectTimeout(f"no SUBACK within {seconds:.0f} s")
        if self._subscription_refused:
            raise SubscriptionRefused("SUBACK 0x80")

    def close(self) -> None:
        """The run is over: the DISCONNECT that follows is not a lost connection."""
        self._closing = True

    # [START reconnect]
    def on_connect(self, client, userdata, connect_flags, reason_code, properties) -> None:
        self._stop_waiting_for_connack()  # answered, accepted or not: the bound below is off
        if not self._connected_before:
            # The first CONNACK: the main thread goes on, or ends with the refusal (wrong password, ...).
            if reason_code.is_failure:
                self._first_failure = ConnackRefused(reason_code.value, str(reason_code))
                client.disconnect()  # no reconnect: the run ends with this
            self._connected_before = self._connected = not reason_code.is_failure
            self._first_connack.set()
            return
        if reason_code.is_failure:
            return  # paho-mqtt tries again after its reconnect delay
        self._connected = True
        session_present = connect_flags.session_present
        print(f"Reconnected (session present: {str(session_present).lower()})", flush=True)
        if not session_present:
            # The broker lost the session, and the subscription with it: subscribe again.
            client.subscribe(self._topic, qos=1)

    def on_disconnect(self, client, userdata, disconnect_flags, reason_code, properties) -> None:
        if not self._connected_before:
            # Closed before the first CONNACK: reported like a handshake the server closed.
            self._first_failure = self._first_failure or ConnectionResetError(
                "the server closed the connection before its CONNACK")
            self._first_connack.set()
        elif self._connected and not self._closing:
            # Once per drop: a reconnect attempt that fails does not count as another.
            print(f"Connection lost ({reason(str(reason_code))}); reconnecting", flush=True)
        self._connected = False
    # [END reconnect]

    # [START unanswered]
    def on_socket_open(self, client, userdata, sock) -> None:
        # A Serverless deployment that is restarting may complete TLS and never answer the CONNECT. paho-mqtt has no
        # bound of its own on the CONNACK: connect_timeout covers only the TCP connect, and a CONNACK is awaited until
        # the keep-alive interval (60 s) runs out, far past the run's 20 s without progress. So a reconnect that has
        # no CONNACK 10 s after its connection opened (TCP and TLS done) is dropped here, and paho-mqtt's network
        # thread reconnects as after any drop: the same session (clean_session=False), the messages that have no
        # PUBACK sent again.
        if not self._connected_before:
            return  # the first connect has its own bound (example.py), which ends the run
        with self._lock:
            self._awaiting_connack = sock
        timer = threading.Timer(self._connack_timeout, self._drop_if_unanswered, args=(sock,))
        timer.daemon = True  # never keeps the process alive
        timer.start()

    def on_socket_close(self, client, userdata, sock) -> None:
        self._stop_waiting_for_connack()  # closed anyway: nothing left to drop

    def _stop_waiting_for_connack(self) -> None:
        with self._lock:
            self._awaiting_connack = None

    def _drop_if_unanswered(self, sock) -> None:
        with self._lock:  # so that it never drops a connection whose CONNACK came, or a socket paho-mqtt closed
            if self._awaiting_connack is sock:
                # The TCP socket's own shutdown, beneath the TLS layer, which only paho-mqtt's network thread uses:
                # that thread reads the end of the connection and handles it as any lost connection.
                with contextlib.suppress(OSError):  # the peer closed it meanwhile
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
    # [END unanswered]

    def on_subscribe(self, client, userdata, mid, reason_code_list, properties) -> None:
        # SUBACK 0x80: the broker refused the subscription (the ACL, or Serverless' subscription quota).
        self._subscription_refused = any(code.is_failure for code in reason_code_list)
        self._suback.set()

    def on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        # For QoS 1: the PUBACK (also when it comes after a reconnect, for a message paho-mqtt sent again).
        self._round_trip.puback(mid)

    def on_message(self, client, userdata, message) -> None:
        self._round_trip.receive(message.payload.decode("utf-8", "replace"))
