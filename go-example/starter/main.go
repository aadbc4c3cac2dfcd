// paho.mqtt.golang (MQTT 3.1.1) to EMQX Cloud Serverless over TLS, in one file to copy whole: connect, subscribe,
// publish one QoS 1 message, receive it back, disconnect.
//
// Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the console's
// emqxsl-ca.crt; without it the system's default trust store, which already trusts Serverless' DigiCert root).
package main

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

const timeout = 10 * time.Second // every wait below ends after 10 s at most

func main() {
	if err := run(); err != nil {
		// One line with the library's own words (a Go error's message holds its causes'); with MQTT_DEBUG=true
		// every error in the chain under it, with its type, as Go errors carry no stack trace.
		fmt.Fprintln(os.Stderr, "ERROR: "+strings.Join(strings.Fields(err.Error()), " "))
		for chain := []error{err}; os.Getenv("MQTT_DEBUG") == "true" && len(chain) > 0; chain = chain[1:] {
			fmt.Fprintf(os.Stderr, "  %T: %v\n", chain[0], chain[0])
			if wrapped, ok := chain[0].(interface{ Unwrap() []error }); ok {
				chain = append(chain, wrapped.Unwrap()...)
			} else if next := errors.Unwrap(chain[0]); next != nil {
				chain = append(chain, next)
			}
		}
		os.Exit(1)
	}
}

func run() error {
	for _, name := range []string{"MQTT_HOST", "MQTT_USERNAME", "MQTT_PASSWORD"} {
		if os.Getenv(name) == "" { // an empty value counts as not set
			return fmt.Errorf("%s is not set: see README.md for what to export", name)
		}
	}
	host, username := os.Getenv("MQTT_HOST"), os.Getenv("MQTT_USERNAME")
	// "ssl://": MQTT over TLS. Serverless offers no plaintext port.
	broker := "ssl://" + net.JoinHostPort(host, cmp.Or(os.Getenv("MQTT_PORT"), "8883"))
	clientID := fmt.Sprintf("paho-go-%08x", rand.Uint32())
	topic := "serverless-examples/" + clientID

	trust, rootCAs := "system default trust store", (*x509.CertPool)(nil) // nil: the system's default trust store
	if caFile := os.Getenv("MQTT_CA_FILE"); caFile != "" {
		trust, rootCAs = "MQTT_CA_FILE "+caFile, x509.NewCertPool() // only the certificates in MQTT_CA_FILE
		if pem, err := os.ReadFile(caFile); err != nil || !rootCAs.AppendCertsFromPEM(pem) {
			return cmp.Or(err, fmt.Errorf("MQTT_CA_FILE %s holds no PEM certificate", caFile))
		}
	}
	fmt.Printf("Connecting to %s as %s (trust: %s)\n", broker, username, trust)
	client := mqtt.NewClient(mqtt.NewClientOptions().
		AddBroker(broker).
		// The certificate must be for ServerName: Go checks it against that name, and sends the name as SNI.
		// Serverless serves many deployments on one address and refuses a handshake without the deployment's
		// name. That is why MQTT_HOST is the console's domain name, never an IP address (not sent as SNI).
		SetTLSConfig(&tls.Config{ServerName: host, RootCAs: rootCAs}).
		SetUsername(username). // Serverless has no anonymous access
		SetPassword(os.Getenv("MQTT_PASSWORD")).
		SetClientID(clientID).
		SetProtocolVersion(4). // MQTT 3.1.1, and no fallback to 3.1 after a refusal
		SetAutoReconnect(false))
	if err := wait(client.Connect(), "CONNACK"); err != nil {
		return err
	}
	defer client.Disconnect(0) // after a failure: close at once; nothing to do after the DISCONNECT below
	fmt.Printf("Connected with client id %s\n", clientID)

	// Subscribe before publishing, so that our own message comes back to us.
	payload := "Hello from " + clientID + " #1"
	received, once := make(chan struct{}), sync.Once{}
	subscribe := client.Subscribe(topic, 1, func(_ mqtt.Client, message mqtt.Message) {
		if string(message.Payload()) == payload {
			once.Do(func() { close(received) }) // once: a duplicate (QoS 1 is at least once) changes nothing
		}
	})
	if err := wait(subscribe, "SUBACK"); err != nil {
		return err
	}
	if subscribe.(*mqtt.SubscribeToken).Result()[topic] == 0x80 { // refused, usually by the ACL
		return fmt.Errorf("the broker refused the subscription to %s (SUBACK 0x80)", topic)
	}
	fmt.Printf("Subscribed to %s at QoS 1\n", topic)

	if err := wait(client.Publish(topic, 1, false, payload), "PUBACK"); err != nil { // done on the broker's PUBACK
		return err
	}
	fmt.Printf("Published 1/1 messages to %s at QoS 1\n", topic)

	select {
	case <-received:
	case <-time.After(timeout):
		return fmt.Errorf("the message did not come back within %.0f s", timeout.Seconds())
	}
	fmt.Printf("Received 1/1 messages on %s (0 duplicates)\n", topic)
	client.Disconnect(uint(timeout.Milliseconds())) // returns once the DISCONNECT is sent, 10 s at most
	fmt.Println("Disconnected")
	return nil
}

// wait waits for token 10 s at most, and returns its error, or one that says it did not come.
func wait(token mqtt.Token, what string) error {
	if !token.WaitTimeout(timeout) {
		return fmt.Errorf("no %s within %.0f s", what, timeout.Seconds())
	}
	return token.Error()
}

// What the full example of go-example (main.go, one folder up) adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect, nothing lost;
// - more than 10 messages a second: Serverless drops the excess of an MQTT 3.1.1 client unseen, so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
