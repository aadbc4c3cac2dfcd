package main

// Each failure becomes one line with the phrase the harness checks (CONTRIBUTING.md, "The one-line errors").
// Where a local server can make it happen, it happens for real: the example's own run() connects to a server
// of this test, so the error is the one Go and paho.mqtt.golang report, wrapped as they wrap it.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// testCA signs server certificates for the test servers.
type testCA struct {
	certificate *x509.Certificate
	key         *ecdsa.PrivateKey
	pool        *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "go-example test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certificate, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(certificate)
	return &testCA{certificate: certificate, key: key, pool: pool}
}

// serverCertificate is a certificate for name, valid from notBefore to notAfter, signed by the CA.
func (ca *testCA) serverCertificate(t *testing.T, name string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.certificate, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// serve accepts connections on 127.0.0.1 until the test ends, each handled by handle; returns the port.
func serve(t *testing.T, handle func(net.Conn)) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				handle(conn)
			}()
		}
	}()
	return listener.Addr().(*net.TCPAddr).Port
}

// tlsThen is a handler that does the TLS handshake with config, then hands the connection to next.
func tlsThen(config *tls.Config, next func(net.Conn)) func(net.Conn) {
	return func(conn net.Conn) {
		server := tls.Server(conn, config)
		if server.Handshake() == nil {
			next(server)
		}
	}
}

// mqttServer answers the CONNECT with a CONNACK of returnCode and a SUBSCRIBE with a SUBACK of granted.
func mqttServer(returnCode, granted byte) func(net.Conn) {
	return func(conn net.Conn) {
		for {
			packet, err := packets.ReadPacket(conn)
			if err != nil {
				return
			}
			switch p := packet.(type) {
			case *packets.ConnectPacket:
				connack := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
				connack.ReturnCode = returnCode
				connack.Write(conn)
			case *packets.SubscribePacket:
				suback := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
				suback.MessageID = p.MessageID
				suback.ReturnCodes = []byte{granted}
				suback.Write(conn)
			}
		}
	}
}

// readHelloThen reads the client's first bytes (its ClientHello), then writes reply (may be nil) and closes.
func readHelloThen(reply []byte) func(net.Conn) {
	return func(conn net.Conn) {
		conn.Read(make([]byte, 4096))
		conn.Write(reply)
	}
}

// alertRecord is a TLS record holding one fatal alert.
func alertRecord(alert tls.AlertError) []byte {
	return []byte{21, 3, 3, 0, 2, 2, byte(alert)}
}

// runAgainst runs the example against 127.0.0.1:port (as localhost, or as host) and returns its error.
func runAgainst(t *testing.T, host string, port int, roots *x509.CertPool) (error, Settings) {
	t.Helper()
	settings := Settings{Host: host, Port: port, Username: "demo", Password: "secret", CAFile: "test CA",
		RootCAs: roots, Topic: "serverless-examples/test", ClientID: "go-test", Messages: 1, PublishRate: 10}
	done := make(chan error, 1)
	go func() { done <- run(settings, io.Discard) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the run succeeded")
		}
		return err, settings
	case <-time.After(15 * time.Second):
		t.Fatal("the run did not end within 15 s")
		return nil, settings
	}
}

func TestEachRealFailureHasItsPhrase(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	valid := ca.serverCertificate(t, "localhost", now.Add(-time.Hour), now.Add(time.Hour))
	serverTLS := &tls.Config{Certificates: []tls.Certificate{valid}}
	closedPort := closedPortOf(t)
	cases := []struct {
		name    string
		host    string
		handler func(net.Conn) // nil: a port nobody listens on
		roots   *x509.CertPool
		phrases []string
	}{
		{"CONNACK bad user name or password", "localhost", tlsThen(serverTLS, mqttServer(4, 1)), ca.pool,
			[]string{"username or password"}},
		{"CONNACK not authorized", "localhost", tlsThen(serverTLS, mqttServer(5, 1)), ca.pool, []string{"not authorized"}},
		{"CONNACK identifier rejected", "localhost", tlsThen(serverTLS, mqttServer(2, 1)), ca.pool,
			[]string{"client id", "MQTT_CLIENT_ID", "23", "7 characters"}},
		{"SUBACK 0x80", "localhost", tlsThen(serverTLS, mqttServer(0, 0x80)), ca.pool,
			[]string{"refused the subscription", "SUBACK 0x80", "ACL", "Authorization page", "10 subscriptions", "10 levels"}},
		{"untrusted chain", "localhost", tlsThen(serverTLS, nil), newTestCA(t).pool, []string{"not trusted"}},
		{"system trust store", "localhost", tlsThen(serverTLS, nil), nil, []string{"not trusted"}},
		{"expired", "localhost", tlsThen(&tls.Config{Certificates: []tls.Certificate{
			ca.serverCertificate(t, "localhost", now.Add(-2*time.Hour), now.Add(-time.Hour))}}, nil), ca.pool,
			[]string{"expired"}},
		{"not yet valid", "localhost", tlsThen(&tls.Config{Certificates: []tls.Certificate{
			ca.serverCertificate(t, "localhost", now.Add(time.Hour), now.Add(2*time.Hour))}}, nil), ca.pool,
			[]string{"expired"}},
		{"certificate for another host", "localhost", tlsThen(&tls.Config{Certificates: []tls.Certificate{
			ca.serverCertificate(t, "other.example", now.Add(-time.Hour), now.Add(time.Hour))}}, nil), ca.pool,
			[]string{"does not match"}},
		{"handshake closed (no or wrong SNI)", "localhost", readHelloThen(nil), ca.pool, []string{"SNI", "TLS port"}},
		{"handshake refused with unrecognized_name", "localhost", readHelloThen(alertRecord(alertUnrecognizedName)),
			ca.pool, []string{"SNI", "TLS port"}},
		{"handshake refused with handshake_failure", "localhost", readHelloThen(alertRecord(alertHandshakeFailure)),
			ca.pool, []string{"SNI", "TLS port"}},
		{"TLS 1.1 only", "localhost", tlsThen(&tls.Config{Certificates: []tls.Certificate{valid},
			MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, nil), ca.pool, []string{"TLS version"}},
		{"not TLS", "localhost", readHelloThen([]byte("HTTP/1.1 400 Bad Request\r\n\r\n")), ca.pool,
			[]string{"not a TLS port"}},
		{"connection refused", "localhost", nil, ca.pool, []string{"connection refused"}},
		{"an IP address: no SNI", "127.0.0.1", readHelloThen(nil), ca.pool, []string{"SNI", "IP address"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port := closedPort
			if c.handler != nil {
				port = serve(t, c.handler)
			}
			err, settings := runAgainst(t, c.host, port, c.roots)
			t.Logf("%v", err) // what Go and paho.mqtt.golang reported (go test -v)
			assertLine(t, describe(err, &settings), c.phrases)
		})
	}
}

// closedPortOf is a port of 127.0.0.1 that nothing listens on any more.
func closedPortOf(t *testing.T) int {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listener.Close()
	return listener.Addr().(*net.TCPAddr).Port
}

func TestFailuresNoServerCanMakeQuickly(t *testing.T) {
	withIP := &Settings{Host: "203.0.113.7", ClientID: "go-test"}
	cases := []struct {
		name    string
		err     error
		phrases []string
	}{
		{"no CONNACK within 10 s", &timeoutError{what: "no CONNACK within 10 s"}, []string{"timed out"}},
		{"read deadline", fmt.Errorf("%w : %w", packets.ErrorNetworkError, &net.OpError{Op: "read", Err: osDeadline{}}),
			[]string{"timed out"}},
		{"not resolved", &net.DNSError{Err: "no such host", Name: "nowhere.invalid", IsNotFound: true},
			[]string{"could not be resolved"}},
		{"server selected TLS 1.1", errors.New("tls: server selected unsupported protocol version 302"),
			[]string{"TLS version"}},
		{"messages missing", &Stalled{message: "20 of 30 messages did not come back within 20 s of the last one", notBack: true},
			[]string{"did not come back", "20 of 30", "ACL", "MQTT_PUBLISH_RATE"}},
		{"an IP address is named, whatever the failure", io.EOF, []string{"SNI", "MQTT_HOST 203.0.113.7 is an IP address"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertLine(t, describe(c.err, withIP), c.phrases)
		})
	}
}

// osDeadline is a net.Error that timed out, as a read past its deadline.
type osDeadline struct{}

func (osDeadline) Error() string   { return "i/o timeout" }
func (osDeadline) Timeout() bool   { return true }
func (osDeadline) Temporary() bool { return true }

func assertLine(t *testing.T, line string, phrases []string) {
	t.Helper()
	for _, phrase := range phrases {
		if !strings.Contains(strings.ToLower(line), strings.ToLower(phrase)) {
			t.Errorf("missing %q: %s", phrase, line)
		}
	}
	if strings.Contains(line, "\n") || strings.Contains(line, "secret") {
		t.Errorf("more than one line, or the password: %s", line)
	}
	if strings.HasPrefix(line, "Unexpected failure") {
		t.Errorf("not recognised: %s", line)
	}
}

func TestMessagesWithoutPubackGetNoRateHint(t *testing.T) {
	line := describe(&Stalled{message: "3 of 30 messages were not acknowledged (PUBACK) within 20 s of the last one"}, nil)
	if !strings.Contains(line, "ACL") || strings.Contains(line, "MQTT_PUBLISH_RATE") {
		t.Error(line)
	}
}

func TestAnythingElse(t *testing.T) {
	line := describe(errors.New("odd"), nil)
	if !strings.HasPrefix(line, "Unexpected failure: odd. Run again with MQTT_DEBUG=true") {
		t.Error(line)
	}
}

func TestOneLineAndExitCode1AndTheChainWithDebug(t *testing.T) {
	err := fmt.Errorf("%w : %w", packets.ErrorNetworkError, packets.ErrorRefusedBadUsernameOrPassword)
	var quiet bytes.Buffer
	if code := report(err, nil, func(string) string { return "" }, &quiet); code != 1 {
		t.Errorf("exit code %d", code)
	}
	if lines := strings.Split(strings.TrimSuffix(quiet.String(), "\n"), "\n"); len(lines) != 1 ||
		!strings.HasPrefix(lines[0], "ERROR: The broker refused the username or password") {
		t.Errorf("%q", quiet.String())
	}
	var debug bytes.Buffer
	report(err, nil, func(name string) string { return map[string]string{"MQTT_DEBUG": "true"}[name] }, &debug)
	if !strings.Contains(debug.String(), "*errors.errorString: bad user name or password") {
		t.Errorf("no chain: %q", debug.String())
	}
}

func TestWhyAConnectionDropped(t *testing.T) {
	cases := map[error]string{
		nil:    "the server closed the connection",
		io.EOF: "the server closed the connection",
		errors.New("pingresp not received, disconnecting"): "pingresp not received, disconnecting",
	}
	for err, want := range cases {
		if got := reason(err); got != want {
			t.Errorf("reason(%v) = %q, want %q", err, got, want)
		}
	}
}
