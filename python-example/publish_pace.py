"""Keeps this client's publishes to at most MQTT_PUBLISH_RATE per second.

Why: a Serverless deployment lets one client publish 10 messages per second and does not tell an MQTT 3.1.1
client when it goes over: the PUBACK looks normal and the message is dropped. paho-mqtt has no publish rate
limit of its own (its in-flight limit counts messages, not time), so the example keeps to the rate itself. The
gap is measured from the previous publish: after a pause (a full window, a reconnect) the next message goes at
once, never a burst to catch up. A rate of 0 turns pacing off, for brokers without this quota.
"""

from __future__ import annotations

import time
from typing import Optional


class PublishPace:
    def __init__(self, messages_per_second: int) -> None:
        self._gap = 0.0 if messages_per_second == 0 else 1.0 / messages_per_second
        self._last_publish: Optional[float] = None

    def await_turn(self) -> None:
        """Waits until a publish now keeps to the rate, and counts it as done: call it just before each publish."""
        if self._gap == 0:
            return  # MQTT_PUBLISH_RATE=0: no pacing
        now = time.monotonic()
        if self._last_publish is not None:
            due = self._last_publish + self._gap
            while now < due:  # in a loop: a sleep may end a little early
                time.sleep(due - now)
                now = time.monotonic()
        self._last_publish = now
