package main

import (
	"errors"
	"net"
)

// unansweredConnectError: the first connect got through TLS, but no CONNACK came within ConnectTimeout. The server
// accepted the connection and never answered the MQTT CONNECT, as a deployment that is starting or overloaded may,
// or something in between that speaks TLS but not MQTT. The network is fine then, so the line must not say that the
// connection timed out.
type unansweredConnectError struct {
	err error
}

func (e *unansweredConnectError) Error() string {
	return "no CONNACK after TLS completed: " + e.err.Error()
}

func (e *unansweredConnectError) Unwrap() error {
	return e.err
}

// firstConnectFailure is a first connect's error as the line must see it. paho.mqtt.golang bounds TCP and the TLS
// handshake by the Dialer's timeout ("dial tcp ...: i/o timeout", or the handshake's "context deadline exceeded"),
// and the CONNACK by ConnectTimeout, a deadline on the connection TLS opened: a read that timed out is the CONNACK
// that never came. Both reach us as the same "network Error", only the error under it tells which.
func firstConnectFailure(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "read" && op.Timeout() {
		return &unansweredConnectError{err: err}
	}
	return err
}
