"""The round trip's counting and window, and the publish pace."""

import threading
import time
import unittest

from publish_pace import PublishPace
from round_trip import RoundTrip, window_for


class RoundTripTest(unittest.TestCase):
    def test_each_payload_counts_once(self):
        round_trip = RoundTrip("python-1", 2)
        for payload in (round_trip.payload(1), round_trip.payload(1), "Hello from python-2 #2",
                        "Hello from python-1 #3", round_trip.payload(2)):
            round_trip.receive(payload)
        round_trip.await_all_received()
        self.assertEqual(1, round_trip.duplicates)

    def test_a_puback_before_publish_returned_its_id_still_counts(self):
        round_trip = RoundTrip("python-1", 2)
        round_trip.puback(7)  # the network thread was quicker
        round_trip.sent(1, 7)
        round_trip.sent(2, 8)
        round_trip.puback(8)
        round_trip.await_all_acknowledged()

    def test_the_window_opens_once_a_message_is_acknowledged_and_back(self):
        round_trip = RoundTrip("python-1", 3)
        round_trip.await_room(2)
        round_trip.await_room(2)
        third = threading.Event()
        waiter = threading.Thread(target=lambda: (round_trip.await_room(2), third.set()))
        waiter.start()
        round_trip.sent(1, 1)
        round_trip.puback(1)
        self.assertFalse(third.wait(0.2), "acknowledged is not finished")
        round_trip.receive(round_trip.payload(1))
        self.assertTrue(third.wait(5))
        waiter.join()

    def test_paced_the_window_is_one_second_of_messages(self):
        self.assertEqual(5, window_for(100, 10))  # the resent window and the next one leave 4 of the bucket of 10
        self.assertEqual(100, window_for(100, 0))
        self.assertEqual(100, window_for(100, 1000))

    def test_the_pace_keeps_publishes_apart(self):
        pace = PublishPace(20)
        start = time.monotonic()
        for _ in range(5):
            pace.await_turn()
        self.assertGreaterEqual(time.monotonic() - start, 4 * 0.05 - 0.001)
        unpaced = PublishPace(0)
        start = time.monotonic()
        for _ in range(1000):
            unpaced.await_turn()
        self.assertLess(time.monotonic() - start, 0.2)


if __name__ == "__main__":
    unittest.main()
