// paho.mqtt.golang (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: connect, subscribe, publish MQTT_MESSAGES
// messages at QoS 1, wait for every one to come back, disconnect; and survive a dropped connection on the way.
//
// Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883), MQTT_CA_FILE,
// MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10 per second). See README.md.
package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

const (
	timeout = 10 * time.Second
	// At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time.
	maxUnfinished = 100
)

func main() {
	os.Exit(runExample(os.Getenv, os.Stdout, os.Stderr))
}

// runExample runs the example and returns its exit code: 0, 1 for a failure, 2 for a setting.
func runExample(getenv func(string) string, stdout, stderr io.Writer) int {
	settings, err := FromEnvironment(getenv, "go")
	if err != nil {
		return report(err, nil, getenv, stderr)
	}
	if err := run(settings, stdout); err != nil {
		return report(err, &settings, getenv, stderr)
	}
	return 0
}

func run(settings Settings, out io.Writer) error {
	// 1. Address: MQTT over TLS (ssl://). Serverless has no plaintext port.
	fmt.Fprintf(out, "Connecting to ssl://%s:%d as %s (trust: %s)\n",
		settings.Host, settings.Port, settings.Username, settings.TrustDescription())

	// [START tls_options]
	// 2. TLS: the server's chain is verified against MQTT_CA_FILE's certificates when it is set (then only
	//    those), else against the system's default trust store (RootCAs nil), which already trusts Serverless'
	//    DigiCert root. ServerName is sent as SNI, which Serverless requires to route the connection (Go sends
	//    none for an IP address), and the certificate is checked against it. Never InsecureSkipVerify.
	tlsConfig := &tls.Config{
		RootCAs:    settings.RootCAs,
		ServerName: settings.Host,
		MinVersion: tls.VersionTLS12,
	}
	// [END tls_options]

	// Counts PUBACKs and returning messages, and keeps the window (round_trip.go).
	roundTrip := NewRoundTrip(settings.ClientID, settings.Messages)
	// Reconnects with back-off when the connection drops, and says so (reconnect.go).
	reconnects := newReconnector(settings.Topic, out)
	defer reconnects.Close()

	// [START session]
	// 3. A session that outlives the connection (CleanSession(false)): while this client is away the broker
	//    keeps its subscription and queues its QoS 1 messages; paho.mqtt.golang keeps the messages that have no
	//    PUBACK yet and sends them again after the reconnect, which reconnect.go makes: paho.mqtt.golang's own
	//    auto-reconnect would not tell whether the session is still there. Every connect, the first and each
	//    reconnect, gives up after 10 s: TCP and TLS by the Dialer's timeout, the CONNACK by ConnectTimeout.
	options := mqtt.NewClientOptions().
		AddBroker("ssl://" + net.JoinHostPort(settings.Host, strconv.Itoa(settings.Port))).
		SetTLSConfig(tlsConfig).
		SetDialer(&net.Dialer{Timeout: timeout}).
		SetConnectTimeout(timeout).
		SetProtocolVersion(4). // MQTT 3.1.1, and no fallback to 3.1 after a refusal
		SetClientID(settings.ClientID).
		SetUsername(settings.Username).
		SetPassword(settings.Password).
		SetCleanSession(false).
		SetAutoReconnect(false).
		SetConnectionLostHandler(reconnects.connectionLost)
	// [END session]
	// Every message that arrives, also those the broker kept for the session before a new SUBSCRIBE.
	options.SetDefaultPublishHandler(func(_ mqtt.Client, message mqtt.Message) {
		roundTrip.Receive(string(message.Payload()))
	})
	client := mqtt.NewClient(options)

	// The first connect ends the run at its first failure; later drops are reconnected.
	connect := client.Connect()
	if !connect.WaitTimeout(timeout + time.Second) { // paho.mqtt.golang itself gives up at 10 s
		return &timeoutError{what: fmt.Sprintf("no CONNACK within %d s", int(timeout.Seconds()))}
	}
	if err := connect.Error(); err != nil {
		return firstConnectFailure(err) // a CONNACK that never came after TLS is not the network
	}
	defer client.Disconnect(0) // after a failure: close at once; a no-op after the DISCONNECT below
	fmt.Fprintf(out, "Connected with client id %s\n", settings.ClientID)

	// 4. Subscribe first, so our own messages come back to us. The broker refuses with SUBACK 0x80 (the ACL,
	//    or Serverless' subscription quota). No handler here: the default one above gets every message.
	subscribe := client.Subscribe(settings.Topic, 1, nil)
	if !subscribe.WaitTimeout(timeout) {
		return &timeoutError{what: fmt.Sprintf("no SUBACK within %d s", int(timeout.Seconds()))}
	}
	if err := subscribe.Error(); err != nil {
		return err
	}
	if subscribe.(*mqtt.SubscribeToken).Result()[settings.Topic] == 0x80 {
		return errSubscriptionRefused
	}
	fmt.Fprintf(out, "Subscribed to %s at QoS 1\n", settings.Topic)

	// [START publish_loop]
	// 5. Publish at QoS 1 without waiting for each PUBACK, but with at most maxUnfinished messages unfinished,
	//    and at most MQTT_PUBLISH_RATE messages per second: over 10 per second, Serverless drops an MQTT 3.1.1
	//    client's messages without a word (the PUBACK looks normal), so the pace is kept here.
	pace := NewPublishPace(settings.PublishRate)
	// Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
	window := windowFor(maxUnfinished, settings.PublishRate)
	for i := 1; i <= settings.Messages; i++ {
		if err := roundTrip.AwaitRoom(window); err != nil {
			return err
		}
		pace.AwaitTurn()
		publish, err := publishWhenConnected(client, reconnects, roundTrip, settings.Topic, roundTrip.Payload(i))
		if err != nil {
			return err
		}
		// The token completes on the PUBACK, also one that comes after a reconnect.
		go func() {
			<-publish.Done()
			if publish.Error() == nil {
				roundTrip.Acknowledge(i)
			}
		}()
	}
	// [END publish_loop]
	if err := roundTrip.AwaitAllAcknowledged(); err != nil {
		return err
	}
	fmt.Fprintf(out, "Published %d/%d messages to %s at QoS 1\n", settings.Messages, settings.Messages, settings.Topic)

	// 6. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
	if err := roundTrip.AwaitAllReceived(); err != nil {
		return err
	}
	fmt.Fprintf(out, "Received %d/%d messages on %s (%d duplicates)\n",
		settings.Messages, settings.Messages, settings.Topic, roundTrip.Duplicates())

	// 7. Done: no reconnect from here on, then DISCONNECT (waiting at most 10 s for it to be sent). MQTT 3.1.1
	//    cannot end the session in the DISCONNECT: the broker drops it after its own expiry for MQTT 3.1.1
	//    sessions (EMQX: 2 hours by default).
	reconnects.Close()
	client.Disconnect(uint(timeout.Milliseconds()))
	fmt.Fprintln(out, "Disconnected")
	return nil
}

// publishWhenConnected publishes payload at QoS 1 and returns its token. While the connection is down,
// paho.mqtt.golang refuses a publish at once (mqtt.ErrNotConnected; only its own auto-reconnect would keep it):
// then this waits for the reconnect and publishes again, or ends with *Stalled after 20 s without progress.
func publishWhenConnected(client mqtt.Client, reconnects *reconnector, roundTrip *RoundTrip, topic, payload string) (mqtt.Token, error) {
	for {
		seen := reconnects.reconnects()
		publish := client.Publish(topic, 1, false, payload)
		select {
		case <-publish.Done():
			if errors.Is(publish.Error(), mqtt.ErrNotConnected) {
				if err := roundTrip.AwaitSignal(reconnects.after(seen)); err != nil {
					return nil, err
				}
				continue
			}
		default:
		}
		return publish, nil
	}
}
