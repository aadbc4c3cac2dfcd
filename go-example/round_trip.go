package main

// The bookkeeping of a run of N QoS 1 messages: which were acknowledged (PUBACK), which came back through the
// subscription (each payload counted once; a repeat is a duplicate, which QoS 1 allows), and a window of at
// most so many unfinished messages (sent, but not yet both acknowledged and back), so a large N never piles up
// in the broker's queue for this session (1000 messages on EMQX and HiveMQ).
//
// paho.mqtt.golang completes tokens and calls the message handler on its own goroutines; the main goroutine
// waits in the Await methods. Every wait ends with a *Stalled error once nothing new has happened for 20 s.

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

const stallLimit = 20 * time.Second

// Stalled is returned when nothing new arrived for 20 s; notBack: the missing ones were acknowledged but did not
// come back.
type Stalled struct {
	message string
	notBack bool
}

func (e *Stalled) Error() string {
	return e.message
}

// windowFor is how many messages may be unfinished at once: window, and with pacing half a second's worth.
// After a reconnect the client sends again, at once, every message the broker had not acknowledged, and the
// next new message goes right after them. The broker takes that burst from its allowance for this client
// (Serverless: a bucket of 10, refilled at 10 a second), and the messages after it come at exactly the rate the
// bucket refills: a burst that empties it leaves no room for the slightest jitter, and a message is then dropped
// unnoticed (MQTT 3.1.1). Half the rate, and the next one, leave 4 of the 10.
func windowFor(window, publishRate int) int {
	if publishRate == 0 {
		return window
	}
	return min(window, max(1, publishRate/2))
}

// RoundTrip counts the PUBACKs and the messages that come back, and keeps the window.
type RoundTrip struct {
	payloadPrefix string
	total         int
	limit         time.Duration // how long without progress before a wait ends in *Stalled

	mu           sync.Mutex
	acknowledged map[int]bool
	received     map[int]bool
	duplicates   int
	started      int
	finished     int
	lastProgress time.Time
	changed      chan struct{} // closed, and replaced, at every change
}

// NewRoundTrip is the bookkeeping for total messages from clientID.
func NewRoundTrip(clientID string, total int) *RoundTrip {
	return &RoundTrip{
		payloadPrefix: "Hello from " + clientID + " #",
		total:         total,
		limit:         stallLimit,
		acknowledged:  map[int]bool{},
		received:      map[int]bool{},
		lastProgress:  time.Now(),
		changed:       make(chan struct{}),
	}
}

// Payload is the payload of message i (1..N): "Hello from CLIENT_ID #i".
func (r *RoundTrip) Payload(i int) string {
	return r.payloadPrefix + strconv.Itoa(i)
}

// AwaitRoom returns once fewer than window messages are unfinished, and counts one more as sent.
func (r *RoundTrip) AwaitRoom(window int) error {
	if err := r.awaitUntil(func() bool { return r.started-r.finished < window }, nil); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started++
	r.lastProgress = time.Now()
	return nil
}

// Acknowledge records that the broker acknowledged message i (PUBACK).
func (r *RoundTrip) Acknowledge(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.acknowledged[i] {
		r.acknowledged[i] = true
		r.progress(i)
	}
}

// Receive records a message that arrived through the subscription; payloads that are not this run's are ignored.
func (r *RoundTrip) Receive(payload string) {
	i := r.indexOf(payload)
	if i < 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.received[i] {
		r.duplicates++
		return
	}
	r.received[i] = true
	r.progress(i)
}

// AwaitAllAcknowledged returns once every message was acknowledged.
func (r *RoundTrip) AwaitAllAcknowledged() error {
	return r.awaitUntil(func() bool { return len(r.acknowledged) >= r.total }, nil)
}

// AwaitAllReceived returns once every message came back.
func (r *RoundTrip) AwaitAllReceived() error {
	return r.awaitUntil(func() bool { return len(r.received) >= r.total }, nil)
}

// AwaitSignal returns once signal is closed (e.g. the connection is back), or with *Stalled, as every wait here.
func (r *RoundTrip) AwaitSignal(signal <-chan struct{}) error {
	return r.awaitUntil(func() bool {
		select {
		case <-signal:
			return true
		default:
			return false
		}
	}, signal)
}

// Duplicates is how many messages came back more than once.
func (r *RoundTrip) Duplicates() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.duplicates
}

// progress: message i was acknowledged or came back. Called holding mu.
func (r *RoundTrip) progress(i int) {
	if r.acknowledged[i] && r.received[i] {
		r.finished++
	}
	r.lastProgress = time.Now()
	close(r.changed)
	r.changed = make(chan struct{})
}

// awaitUntil waits for done (checked holding mu) to hold, re-checking at each change and when signal closes;
// *Stalled once nothing new has happened for the limit (20 s).
func (r *RoundTrip) awaitUntil(done func() bool, signal <-chan struct{}) error {
	for {
		r.mu.Lock()
		if done() {
			r.mu.Unlock()
			return nil
		}
		left := time.Until(r.lastProgress.Add(r.limit))
		if left <= 0 {
			err := r.stalled()
			r.mu.Unlock()
			return err
		}
		changed := r.changed
		r.mu.Unlock()
		timer := time.NewTimer(left)
		select {
		case <-changed:
		case <-signal: // a nil signal never fires
		case <-timer.C:
		}
		timer.Stop()
	}
}

// stalled is the error for a wait that saw nothing new for the limit. Called holding mu.
func (r *RoundTrip) stalled() error {
	seconds := int(r.limit.Seconds())
	if len(r.received) < r.total {
		return &Stalled{message: fmt.Sprintf("%d of %d messages did not come back within %d s of the last one",
			r.total-len(r.received), r.total, seconds), notBack: true}
	}
	return &Stalled{message: fmt.Sprintf("%d of %d messages were not acknowledged (PUBACK) within %d s of the last one",
		r.total-len(r.acknowledged), r.total, seconds)}
}

// indexOf is i for the payload of message i of this run, or -1.
func (r *RoundTrip) indexOf(payload string) int {
	digits, ok := strings.CutPrefix(payload, r.payloadPrefix)
	if !ok || !wholeNumber.MatchString(digits) {
		return -1
	}
	i, err := strconv.Atoi(digits)
	if err != nil || i < 1 || i > r.total {
		return -1
	}
	return i
}
