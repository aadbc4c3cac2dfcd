package main

// The round trip's counting and its window; the publish pace; the wait for a reconnect.

import (
	"errors"
	"testing"
	"time"
)

func TestEachPayloadCountsOnce(t *testing.T) {
	roundTrip := NewRoundTrip("go-1", 2)
	for _, payload := range []string{roundTrip.Payload(1), roundTrip.Payload(1), "Hello from go-2 #2",
		"Hello from go-1 #3", "Hello from go-1 #x", roundTrip.Payload(2)} {
		roundTrip.Receive(payload)
	}
	if err := roundTrip.AwaitAllReceived(); err != nil {
		t.Fatal(err)
	}
	if roundTrip.Duplicates() != 1 {
		t.Errorf("%d duplicates", roundTrip.Duplicates())
	}
}

func TestTheWindowOpensOnceAMessageIsAcknowledgedAndBack(t *testing.T) {
	roundTrip := NewRoundTrip("go-1", 3)
	for range 2 {
		if err := roundTrip.AwaitRoom(2); err != nil {
			t.Fatal(err)
		}
	}
	third := make(chan error, 1)
	go func() { third <- roundTrip.AwaitRoom(2) }()
	roundTrip.Acknowledge(1)
	select {
	case <-third:
		t.Fatal("acknowledged is not finished")
	case <-time.After(200 * time.Millisecond):
	}
	roundTrip.Receive(roundTrip.Payload(1))
	select {
	case err := <-third:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still no room")
	}
}

func TestAWaitWithoutProgressEndsStalled(t *testing.T) {
	roundTrip := NewRoundTrip("go-1", 3)
	roundTrip.limit = 100 * time.Millisecond
	roundTrip.Acknowledge(1)
	roundTrip.Acknowledge(2)
	roundTrip.Acknowledge(3)
	roundTrip.Receive(roundTrip.Payload(2))
	var stalled *Stalled
	if err := roundTrip.AwaitAllReceived(); !errors.As(err, &stalled) || !stalled.notBack ||
		err.Error() != "2 of 3 messages did not come back within 0 s of the last one" {
		t.Fatalf("%v", err)
	}
	// Every message back, but not every PUBACK: that is no publish rate's doing (see failures.go).
	notAcknowledged := NewRoundTrip("go-1", 1)
	notAcknowledged.limit = 100 * time.Millisecond
	notAcknowledged.Receive(notAcknowledged.Payload(1))
	if err := notAcknowledged.AwaitAllAcknowledged(); !errors.As(err, &stalled) || stalled.notBack {
		t.Fatalf("%v", err)
	}
}

func TestPacedTheWindowIsHalfASecondOfMessages(t *testing.T) {
	cases := []struct{ rate, want int }{{10, 5}, {1, 1}, {0, 100}, {1000, 100}}
	for _, c := range cases {
		if got := windowFor(100, c.rate); got != c.want {
			t.Errorf("windowFor(100, %d) = %d, want %d", c.rate, got, c.want)
		}
	}
}

func TestThePaceKeepsPublishesApart(t *testing.T) {
	pace := NewPublishPace(20)
	start := time.Now()
	for range 5 {
		pace.AwaitTurn()
	}
	if elapsed := time.Since(start); elapsed < 4*50*time.Millisecond {
		t.Errorf("5 publishes at 20 a second took %v, less than four gaps of 50 ms", elapsed)
	}
	unpaced := NewPublishPace(0)
	start = time.Now()
	for range 1000 {
		unpaced.AwaitTurn()
	}
	if elapsed := time.Since(start); elapsed > 200*time.Millisecond {
		t.Errorf("unpaced took %v", elapsed)
	}
}

func TestAPublishRefusedWhileDownWaitsForTheNextReconnect(t *testing.T) {
	reconnects := newReconnector("t", nil)
	seen := reconnects.reconnects()
	roundTrip := NewRoundTrip("go-1", 1)
	waited := make(chan error, 1)
	go func() { waited <- roundTrip.AwaitSignal(reconnects.after(seen)) }()
	select {
	case <-waited:
		t.Fatal("returned before the reconnect")
	case <-time.After(100 * time.Millisecond):
	}
	reconnects.reconnected()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	// A reconnect that came between the refused publish and the wait counts too.
	if err := roundTrip.AwaitSignal(reconnects.after(seen)); err != nil {
		t.Fatal(err)
	}
	// And without one, the wait ends like every other: after the limit without progress.
	roundTrip.limit = 100 * time.Millisecond
	var stalled *Stalled
	if err := roundTrip.AwaitSignal(reconnects.after(reconnects.reconnects())); !errors.As(err, &stalled) {
		t.Fatalf("%v", err)
	}
}
