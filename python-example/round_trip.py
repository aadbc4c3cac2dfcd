"""The bookkeeping of a run of N QoS 1 messages.

Which were acknowledged (PUBACK), which came back through the subscription (each payload counted once; a repeat
is a duplicate, which QoS 1 allows), and a window of at most so many unfinished messages (sent, but not yet both
acknowledged and back), so a large N never piles up in the broker's queue for this session (1000 messages on
EMQX and HiveMQ).

paho-mqtt reports PUBACKs and messages on its network thread; the main thread waits in the await_* methods.
Every wait ends with Stalled once nothing new has happened for 20 s. The lock is never held while calling into
paho-mqtt, whose callbacks run holding paho-mqtt's own locks.
"""

from __future__ import annotations

import threading
import time

STALL_LIMIT_SECONDS = 20


class Stalled(Exception):
    """Nothing new arrived for 20 s; not_back: the missing ones were acknowledged but did not come back."""

    def __init__(self, message: str, not_back: bool) -> None:
        super().__init__(message)
        self.not_back = not_back


def window_for(window: int, publish_rate: int) -> int:
    """How many messages may be unfinished at once: window, and with pacing half a second's worth.

    After a reconnect the client sends again, at once, every message the broker had not acknowledged and those it
    kept meanwhile, and the next new message goes right after them. The broker takes that burst from its allowance
    for this client (Serverless: a bucket of 10, refilled at 10 a second), and the messages after it come at exactly
    the rate the bucket refills: a burst that empties it leaves no room for the slightest jitter, and a message is
    then dropped unnoticed (MQTT 3.1.1). Half the rate, and the next one, leave 4 of the 10. With a window of 10 a
    message was lost at every broker restart.
    """
    return window if publish_rate == 0 else min(window, max(1, publish_rate // 2))


class RoundTrip:
    def __init__(self, client_id: str, total: int) -> None:
        self._payload_prefix = f"Hello from {client_id} #"
        self._total = total
        self._acknowledged: set[int] = set()
        self._received: set[int] = set()
        self._message_of_mid: dict[int, int] = {}
        self._early_pubacks: set[int] = set()
        self._started = 0
        self._finished = 0
        self.duplicates = 0
        self._last_progress = time.monotonic()
        self._changed = threading.Condition()

    def payload(self, i: int) -> str:
        """The payload of message i (1..N): "Hello from CLIENT_ID #i"."""
        return self._payload_prefix + str(i)

    def await_room(self, window: int) -> None:
        """Waits until fewer than window messages are unfinished, then counts one more as sent."""
        with self._changed:
            self._await(lambda: self._started - self._finished < window)
            self._started += 1
            self._last_progress = time.monotonic()

    def sent(self, i: int, mid: int) -> None:
        """Message i went out with packet id mid; its PUBACK may already have come."""
        with self._changed:
            if mid in self._early_pubacks:
                self._early_pubacks.discard(mid)
                self._acknowledge(i)
            else:
                self._message_of_mid[mid] = i

    def puback(self, mid: int) -> None:
        """The broker acknowledged the message with packet id mid (PUBACK)."""
        with self._changed:
            i = self._message_of_mid.pop(mid, None)
            if i is None:
                self._early_pubacks.add(mid)  # before publish() returned its id to us
            else:
                self._acknowledge(i)

    def receive(self, payload: str) -> None:
        """A message arrived through the subscription; payloads that are not this run's are ignored."""
        with self._changed:
            i = self._index_of(payload)
            if i < 0:
                return
            if i in self._received:
                self.duplicates += 1
                return
            self._received.add(i)
            self._progress(i)

    def await_all_acknowledged(self) -> None:
        with self._changed:
            self._await(lambda: len(self._acknowledged) >= self._total)

    def await_all_received(self) -> None:
        with self._changed:
            self._await(lambda: len(self._received) >= self._total)

    def _acknowledge(self, i: int) -> None:
        if i not in self._acknowledged:
            self._acknowledged.add(i)
            self._progress(i)

    def _progress(self, i: int) -> None:
        if i in self._acknowledged and i in self._received:
            self._finished += 1
        self._last_progress = time.monotonic()
        self._changed.notify_all()

    def _await(self, done) -> None:
        """Waits, holding the condition, until done() holds; Stalled once nothing new happened for 20 s."""
        while not done():
            left = self._last_progress + STALL_LIMIT_SECONDS - time.monotonic()
            if left <= 0:
                raise self._stalled()
            self._changed.wait(left)

    def _stalled(self) -> Stalled:
        if len(self._received) < self._total:
            return Stalled(f"{self._total - len(self._received)} of {self._total} messages did not come back"
                           f" within {STALL_LIMIT_SECONDS} s of the last one", True)
        return Stalled(f"{self._total - len(self._acknowledged)} of {self._total} messages were not acknowledged"
                       f" (PUBACK) within {STALL_LIMIT_SECONDS} s of the last one", False)

    def _index_of(self, payload: str) -> int:
        if not payload.startswith(self._payload_prefix):
            return -1
        digits = payload[len(self._payload_prefix):]
        i = int(digits) if digits.isascii() and digits.isdigit() else -1
        return i if 1 <= i <= self._total else -1
