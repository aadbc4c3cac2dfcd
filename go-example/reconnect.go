package main

// Reconnects when the connection drops: with back-off, saying so, and subscribing again when the broker no
// longer has the session.
//
// Why not paho.mqtt.golang's own SetAutoReconnect(true): its reconnects do not hand over the CONNACK's
// session-present flag (eclipse-paho/paho.mqtt.golang#582), so nothing could tell whether the subscription
// survived. client.Connect() does: its *mqtt.ConnectToken has SessionPresent(). Everything else stays
// paho.mqtt.golang's: with CleanSession(false) it keeps the messages that have no PUBACK yet and sends them again
// after the reconnect, and each attempt is bounded by its ConnectTimeout (a CONNACK that never comes is given up
// after 10 s, and the next attempt follows).

import (
	"fmt"
	"io"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// The back-off: the first attempt 1 s after the drop, then 2 s after a failed one, then every 4 s until one
// succeeds. Short on purpose: a Serverless deployment that restarts is back within seconds. With many clients,
// add random jitter so that they do not all reconnect at the same moment.
const (
	firstDelay = time.Second
	maxDelay   = 4 * time.Second
)

// reconnector is the client's connection-lost handler.
type reconnector struct {
	topic string
	out   io.Writer

	attempts sync.Mutex // one reconnect at a time
	mu       sync.Mutex
	count    int           // reconnects so far
	next     chan struct{} // closed at the next reconnect
	stop     chan struct{} // closed by Close: no reconnect from then on
	stopped  bool
}

func newReconnector(topic string, out io.Writer) *reconnector {
	return &reconnector{topic: topic, out: out, next: make(chan struct{}), stop: make(chan struct{})}
}

// [START reconnect]
// connectionLost is paho.mqtt.golang's ConnectionLostHandler: it says so and reconnects.
func (r *reconnector) connectionLost(client mqtt.Client, cause error) {
	if r.isStopped() {
		return // the run is over
	}
	fmt.Fprintf(r.out, "Connection lost (%s); reconnecting\n", reason(cause))
	r.attempts.Lock()
	defer r.attempts.Unlock()
	for delay := firstDelay; ; delay = min(delay*2, maxDelay) {
		select {
		case <-r.stop:
			return
		case <-time.After(delay):
		}
		// One attempt: TCP, TLS, CONNECT and CONNACK, bounded by the Dialer's and the ConnectTimeout's 10 s. With
		// CleanSession(false), paho.mqtt.golang then sends again the messages that have no PUBACK yet.
		connect := client.Connect().(*mqtt.ConnectToken)
		connect.Wait()
		if connect.Error() != nil || r.isStopped() {
			continue // refused, unreachable, or no CONNACK within 10 s: try again after the back-off
		}
		fmt.Fprintf(r.out, "Reconnected (session present: %t)\n", connect.SessionPresent())
		if !connect.SessionPresent() {
			// The broker lost the session, and the subscription with it: subscribe again.
			client.Subscribe(r.topic, 1, nil)
		}
		r.reconnected()
		return
	}
}

// [END reconnect]

// reconnects is how many reconnects there have been so far.
func (r *reconnector) reconnects() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

// after is a channel closed once there have been more than n reconnects.
func (r *reconnector) after(n int) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.count > n {
		done := make(chan struct{})
		close(done)
		return done
	}
	return r.next
}

func (r *reconnector) reconnected() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count++
	close(r.next)
	r.next = make(chan struct{})
}

func (r *reconnector) isStopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

// Close ends reconnecting: called before the final DISCONNECT, and after a failure.
func (r *reconnector) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.stopped {
		r.stopped = true
		close(r.stop)
	}
}
