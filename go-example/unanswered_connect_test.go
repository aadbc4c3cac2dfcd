package main

// A first connect that timed out reading its CONNACK, on the connection TLS opened, is a CONNECT the server never
// answered, and says so; a TCP connect or TLS handshake that timed out keeps the line that points at the network.
// The errors are built as paho.mqtt.golang wraps them: a real one takes the 10 s bound.

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

func TestAConnackThatNeverCameAfterTlsIsAConnectNeverAnswered(t *testing.T) {
	// verifyCONNACK's read, past the deadline ConnectTimeout set on the connection TLS opened.
	err := firstConnectFailure(fmt.Errorf("%w : %w", packets.ErrorNetworkError,
		&net.OpError{Op: "read", Net: "tcp", Err: osDeadline{}}))

	line := describe(err, &Settings{Host: "xxxxxxxx.ala.us-east-1.emqxsl.com", ClientID: "go-test"})
	if !strings.HasPrefix(line, "The server accepted the connection (TLS completed) but never answered the MQTT"+
		" CONNECT within 10 s. Usually the deployment is starting or overloaded") || strings.Contains(line, "timed out") {
		t.Error(line)
	}
}

func TestATcpConnectOrTlsHandshakeThatTimedOutStaysATimeout(t *testing.T) {
	settings := &Settings{Host: "xxxxxxxx.ala.us-east-1.emqxsl.com", ClientID: "go-test"}
	for name, cause := range map[string]error{
		"TCP connect":   &net.OpError{Op: "dial", Net: "tcp", Err: osDeadline{}},
		"TLS handshake": context.DeadlineExceeded, // tls.DialWithDialer's bound on the handshake
	} {
		t.Run(name, func(t *testing.T) {
			err := fmt.Errorf("%w : %w", packets.ErrorNetworkError, cause)
			if failure := firstConnectFailure(err); failure != err {
				t.Errorf("changed: %v", failure)
			}
			if line := describe(err, settings); !strings.HasPrefix(line, "The connection timed out.") {
				t.Error(line)
			}
		})
	}
}
