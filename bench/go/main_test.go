package main

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Go sets TCP_NODELAY on every TCP connection it makes, so the connections of paho.mqtt.golang, made through this
// dialer, have it without a line of the bench's: what the README says for this stack.
func TestTheDialersConnectionsHaveNagleOff(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	go func() {
		if conn, err := listener.Accept(); err == nil {
			defer conn.Close()
			time.Sleep(time.Second)
		}
	}()
	conn, err := dialer().Dial("tcp", listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	raw, err := conn.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var noDelay int
	var optErr error
	if err := raw.Control(func(fd uintptr) {
		noDelay, optErr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_NODELAY)
	}); err != nil || optErr != nil {
		t.Fatal(err, optErr)
	}
	if noDelay == 0 {
		t.Fatal("TCP_NODELAY is off")
	}
}

func TestThePayloadCarriesItsSequenceAndDueTime(t *testing.T) {
	bytes := payload(1234, 987654321012)
	if len(bytes) != 256 || sequenceOf(bytes) != 1234 || dueNanosOf(bytes) != 987654321012 {
		t.Fatalf("payload of %d bytes: %d, %d", len(bytes), sequenceOf(bytes), dueNanosOf(bytes))
	}
	if sequenceOf([]byte("short")) != -1 {
		t.Fatal("a payload that is not the bench's counts as one")
	}
}

// At QoS 1, a place in the window is freed only once its message is both acknowledged and back.
func TestTheWindowHoldsAtMostItsSizeInFlight(t *testing.T) {
	w := newWindow(3, 1, 2, nil)
	for i := 0; i < 2; i++ {
		if err := w.awaitRoom(); err != nil {
			t.Fatal(err)
		}
	}
	room := make(chan error, 1)
	go func() { room <- w.awaitRoom() }()
	w.acknowledgedOne()
	select {
	case <-room:
		t.Fatal("room before the first message came back")
	case <-time.After(50 * time.Millisecond):
	}
	w.receivedPayload(payload(0, 0))
	w.receivedPayload(payload(0, 0)) // again: counted once
	select {
	case err := <-room:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no room once the first message was acknowledged and back")
	}
	if w.received.Load() != 1 {
		t.Fatalf("%d received, want 1", w.received.Load())
	}
	for i := 1; i < 3; i++ {
		w.acknowledgedOne()
		w.receivedPayload(payload(i, 0))
	}
	if err := w.awaitAll(); err != nil {
		t.Fatal(err)
	}
}

func TestAFailureEndsTheWait(t *testing.T) {
	w := newWindow(2, 0, 1, nil)
	if err := w.awaitRoom(); err != nil {
		t.Fatal(err)
	}
	w.fail(errors.New("connection lost: EOF"))
	if err := w.awaitRoom(); err == nil || !strings.Contains(err.Error(), "connection lost: EOF") {
		t.Fatalf("awaitRoom: %v", err)
	}
	if err := w.awaitAll(); err == nil {
		t.Fatal("awaitAll without an error")
	}
}

func TestSettingsNameTheVariableThatIsWrong(t *testing.T) {
	env := map[string]string{"MQTT_HOST": "deployment.emqxsl.test", "BENCH_CLIENT_ID": "bench-1", "MQTT_PORT": "8883",
		"MQTT_PUBLISH_RATE": "0", "BENCH_MESSAGES": "100", "BENCH_CONNECTS": "3", "BENCH_LATENCY_RATE": "500",
		"BENCH_LATENCY_MESSAGES": "100", "BENCH_WINDOW": "10", "BENCH_WARMUP": "0"}
	s, err := settingsFrom(func(name string) string { return env[name] })
	if err != nil || s.window != 10 || s.rootCAs != nil {
		t.Fatalf("%+v, %v", s, err)
	}
	env["BENCH_WINDOW"] = "0"
	if _, err := settingsFrom(func(name string) string { return env[name] }); err == nil ||
		!strings.HasPrefix(err.Error(), "BENCH_WINDOW=\"0\"") {
		t.Fatalf("%v", err)
	}
}
