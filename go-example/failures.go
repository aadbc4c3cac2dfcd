package main

// Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting order:
// address, port, TLS (trust, host name, SNI), credentials. The causes are Go's own errors (crypto/tls and
// crypto/x509 for TLS, net and syscall for sockets), found with errors.As and errors.Is through the chain that
// paho.mqtt.golang wraps them in, and paho.mqtt.golang's CONNACK refusals. MQTT_DEBUG=true adds the chain.

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// errSubscriptionRefused: the broker refused the subscription (SUBACK 0x80): the ACL, or Serverless' subscription quota.
var errSubscriptionRefused = errors.New("SUBACK 0x80: the broker refused the subscription")

// timeoutError: no answer within the bound (10 s).
type timeoutError struct {
	what string
}

func (e *timeoutError) Error() string {
	return e.what
}

// TLS alerts a server sends, as crypto/tls reports them (a net.OpError "remote error" around the alert).
const (
	alertHandshakeFailure = tls.AlertError(40)
	alertProtocolVersion  = tls.AlertError(70)
	alertUnrecognizedName = tls.AlertError(112)
)

// report prints the one-line error (and, with MQTT_DEBUG=true, the chain of errors under it) and returns the
// exit code: 2 for a setting, 1 for anything else. settings is nil when reading them failed.
func report(err error, settings *Settings, getenv func(string) string, stderr io.Writer) int {
	fmt.Fprintf(stderr, "ERROR: %s\n", describe(err, settings))
	if strings.EqualFold(strings.TrimSpace(getenv("MQTT_DEBUG")), "true") {
		printChain(stderr, err, "")
	}
	if isSettingsError(err) {
		return 2
	}
	return 1
}

// printChain writes err and every error it wraps, one per line with its type: Go errors carry no stack
// trace, the chain is what says where a failure came from.
func printChain(w io.Writer, err error, indent string) {
	for err != nil {
		fmt.Fprintf(w, "%s%T: %v\n", indent, err, err)
		switch wrapped := err.(type) {
		case interface{ Unwrap() []error }:
			for _, each := range wrapped.Unwrap() {
				printChain(w, each, indent+"  ")
			}
			return
		case interface{ Unwrap() error }:
			err = wrapped.Unwrap()
		default:
			return
		}
		indent += "  "
	}
}

// describe is the line after "ERROR: ". settings is nil when reading them failed.
func describe(err error, settings *Settings) string {
	if isSettingsError(err) {
		return err.Error()
	}
	line := describeConnectionFailure(err, settings)
	if settings != nil && net.ParseIP(settings.Host) != nil {
		line += " MQTT_HOST " + settings.Host + " is an IP address: Serverless needs the deployment's domain name," +
			" which the client sends as SNI and checks against the certificate."
	}
	return line
}

// reason is why a connection dropped, in a few words for the "Connection lost (...)" line.
func reason(err error) string {
	if err == nil || closedByPeer(err) {
		return "the server closed the connection"
	}
	return err.Error()
}

func describeConnectionFailure(err error, settings *Settings) string {
	var stalled *Stalled
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var systemRoots x509.SystemRootsError
	var verification *tls.CertificateVerificationError
	var dns *net.DNSError
	var timeout *timeoutError
	var unanswered *unansweredConnectError
	var netError net.Error
	var notTLS tls.RecordHeaderError
	switch {
	case errors.As(err, &stalled):
		// Over the publish rate, Serverless drops a message but still acknowledges it to an MQTT 3.1.1 client.
		rate := ""
		if stalled.notBack {
			rate = " Check also the publish rate: over 10 messages per second per client a Serverless deployment" +
				" drops messages without telling an MQTT 3.1.1 client (MQTT_PUBLISH_RATE, default 10)."
		}
		return stalled.Error() + ". Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC, and," +
			" if the connection was lost, that the deployment is running (its status in the console)." + rate
	case errors.Is(err, errSubscriptionRefused):
		return "The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)." +
			" Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization page)," +
			" and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic filter."
	case errors.Is(err, packets.ErrorRefusedIDRejected):
		length := 0
		if settings != nil {
			length = len([]rune(settings.ClientID))
		}
		return fmt.Sprintf("The broker rejected the client id (MQTT_CLIENT_ID, %d characters). Use a shorter one:"+
			" Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works"+
			" everywhere.", length)
	case errors.Is(err, packets.ErrorRefusedBadUsernameOrPassword):
		return "The broker refused the username or password (CONNACK: bad user name or password)." +
			" Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page."
	case errors.Is(err, packets.ErrorRefusedNotAuthorised):
		return "The broker refused the connection: not authorized (CONNACK)." +
			" Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect."
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "The server's certificate has expired or is not yet valid." +
			" Check the machine's clock; if it is right, the server is not the deployment you meant."
	case errors.As(err, &hostname):
		return "The server's certificate does not match the host name in MQTT_HOST." +
			" Use the deployment's address exactly as the console shows it, not an IP address or a CNAME."
	case errors.As(err, &unknownAuthority), errors.As(err, &invalid), errors.As(err, &systemRoots),
		errors.As(err, &verification):
		return "The server's certificate is not trusted by the CA in use." +
			" Set MQTT_CA_FILE to the deployment's emqxsl-ca.crt from the console, or unset it to use" +
			" the system's default trust store, which already trusts Serverless' DigiCert root."
	case errors.As(err, &dns):
		return "The host name in MQTT_HOST could not be resolved." +
			" Check its spelling against the console and that this machine's DNS works."
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Could not reach the server: connection refused." +
			" Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084" +
			" (MQTT over WebSocket with TLS); 1883 and 8083 are not offered."
	case errors.As(err, &unanswered):
		// TLS completed, so the network is fine: pointing at it (the case below) would send the user astray.
		return "The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within 10 s." +
			" Usually the deployment is starting or overloaded: check its status in the console and try again in a" +
			" minute. If it lasts, something between this machine and the deployment (a proxy or load balancer) may" +
			" speak TLS but not MQTT: connect to the deployment's address and port 8883 directly."
	case errors.As(err, &timeout), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netError) && netError.Timeout():
		return "The connection timed out." +
			" Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy" +
			" lets this machine reach them (try: nc -vz HOST 8883)."
	// A server that offers only TLS 1.0/1.1, or one that refuses every version offered (alert protocol_version).
	case remoteAlert(err, alertProtocolVersion) || strings.Contains(err.Error(), "unsupported protocol version"):
		return "The server and this client share no TLS version (the server offered only an old one, or" +
			" refused the ones offered). Serverless speaks TLS 1.2 and 1.3: check that MQTT_HOST and" +
			" MQTT_PORT are the deployment's, and that GODEBUG does not restrict Go's TLS versions."
	// What crypto/tls says when the first bytes back are not a TLS record.
	case errors.As(err, &notTLS):
		return "The server did not answer with TLS: MQTT_PORT is not a TLS port." +
			" Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)."
	// Closed during the handshake (end of stream, a reset), or refused with an alert: what Serverless does to a
	// client without the deployment's SNI. Closed before the CONNACK reads the same.
	case closedByPeer(err), remoteAlert(err, alertHandshakeFailure), remoteAlert(err, alertUnrecognizedName):
		return "The server closed the connection during the TLS handshake." +
			" Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be" +
			" that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883)."
	}
	return "Unexpected failure: " + err.Error() + "." +
		" Run again with MQTT_DEBUG=true for the chain of errors, and include it in a support ticket" +
		" (with the deployment, client type and version, and your code without the password)."
}

// closedByPeer: the other side ended the connection (end of stream, reset, broken pipe).
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// remoteAlert: the server sent this TLS alert. crypto/tls wraps a received alert in a net.OpError whose Op is
// "remote error", and the alert's text is the same as tls.AlertError's.
func remoteAlert(err error, alert tls.AlertError) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error" && op.Err != nil && op.Err.Error() == alert.Error()
}
