package main

// The whole run against a small broker of this test that drops the connection in the middle and then has no
// session any more: the example must say so, reconnect, subscribe again, and still get every message back.

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// forgetfulBroker echoes every QoS 1 message to a subscriber on the same connection, and closes the first
// connection right after echoing message dropAfter. It keeps no session: every CONNACK says so. Connection
// number silent (if not 0) gets no answer at all, as a deployment that is restarting may leave a CONNECT.
type forgetfulBroker struct {
	dropAfter int
	silent    int

	mu          sync.Mutex
	connections int
	subscribes  []int // the connection (1, 2, ...) of each SUBSCRIBE
}

func (b *forgetfulBroker) serve(conn net.Conn) {
	b.mu.Lock()
	b.connections++
	connection := b.connections
	b.mu.Unlock()
	if connection == b.silent {
		io.Copy(io.Discard, conn) // reads the CONNECT, answers nothing, until the client gives up
		return
	}
	subscribed := map[string]bool{}
	var published int
	var nextID uint16
	for {
		packet, err := packets.ReadPacket(conn)
		if err != nil {
			return
		}
		switch p := packet.(type) {
		case *packets.ConnectPacket:
			connack := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
			connack.SessionPresent = false
			connack.Write(conn)
		case *packets.SubscribePacket:
			b.mu.Lock()
			b.subscribes = append(b.subscribes, connection)
			b.mu.Unlock()
			for _, topic := range p.Topics {
				subscribed[topic] = true
			}
			suback := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
			suback.MessageID = p.MessageID
			suback.ReturnCodes = []byte{1}
			suback.Write(conn)
		case *packets.PublishPacket:
			puback := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
			puback.MessageID = p.MessageID
			puback.Write(conn)
			if subscribed[p.TopicName] {
				nextID++
				echo := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
				echo.Qos, echo.TopicName, echo.Payload, echo.MessageID = 1, p.TopicName, p.Payload, nextID
				echo.Write(conn)
			}
			published++
			if connection == 1 && published == b.dropAfter {
				return // the deferred Close drops the connection
			}
		case *packets.PingreqPacket:
			packets.NewControlPacket(packets.Pingresp).Write(conn)
		case *packets.DisconnectPacket:
			return
		}
	}
}

func TestARoundTripSurvivesADropAndALostSession(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	serverTLS := &tls.Config{Certificates: []tls.Certificate{ca.serverCertificate(t, "localhost", now.Add(-time.Hour), now.Add(time.Hour))}}
	broker := &forgetfulBroker{dropAfter: 3}
	port := serve(t, tlsThen(serverTLS, broker.serve))
	settings := Settings{Host: "localhost", Port: port, Username: "demo", Password: "secret", CAFile: "test CA",
		RootCAs: ca.pool, Topic: "serverless-examples/go-test", ClientID: "go-test", Messages: 6, PublishRate: 20}

	var out bytes.Buffer
	if err := run(settings, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}

	want := []string{
		"Connecting to ssl://localhost:" + strconv.Itoa(port) + " as demo (trust: MQTT_CA_FILE test CA)",
		"Connected with client id go-test",
		"Subscribed to serverless-examples/go-test at QoS 1",
		"Connection lost (the server closed the connection); reconnecting",
		"Reconnected (session present: false)",
		"Published 6/6 messages to serverless-examples/go-test at QoS 1",
		"Received 6/6 messages on serverless-examples/go-test (0 duplicates)",
		"Disconnected",
	}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("printed:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	broker.mu.Lock()
	defer broker.mu.Unlock()
	if len(broker.subscribes) != 2 || broker.subscribes[1] != 2 {
		t.Errorf("SUBSCRIBEs on connections %v, want [1 2]: the example must subscribe again", broker.subscribes)
	}
}

func TestAReconnectNobodyAnswersIsGivenUpAfter10sAndTriedAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 10 s bound on a connect")
	}
	t.Parallel()
	ca := newTestCA(t)
	now := time.Now()
	serverTLS := &tls.Config{Certificates: []tls.Certificate{ca.serverCertificate(t, "localhost", now.Add(-time.Hour), now.Add(time.Hour))}}
	broker := &forgetfulBroker{dropAfter: 2, silent: 2}
	port := serve(t, tlsThen(serverTLS, broker.serve))
	settings := Settings{Host: "localhost", Port: port, Username: "demo", Password: "secret", CAFile: "test CA",
		RootCAs: ca.pool, Topic: "serverless-examples/go-test", ClientID: "go-test", Messages: 4, PublishRate: 20}

	var out bytes.Buffer
	start := time.Now()
	if err := run(settings, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// The drop, 1 s, the unanswered attempt's 10 s, 2 s of back-off, and the third connection.
	if elapsed := time.Since(start); elapsed < 13*time.Second || elapsed > 19*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if !strings.Contains(out.String(), "Reconnected (session present: false)\n") ||
		!strings.Contains(out.String(), "Received 4/4 messages") {
		t.Errorf("printed:\n%s", out.String())
	}
	broker.mu.Lock()
	defer broker.mu.Unlock()
	if broker.connections != 3 {
		t.Errorf("%d connections, want 3: the first, the unanswered one, the one that worked", broker.connections)
	}
}
