// The paho.mqtt.golang stack of the bench (MQTT 3.1.1 over TLS, as go-example): the same work as the Java stacks'
// Workload.java, with the same settings from the same environment variables, and its figures as one JSON line
// after "BENCH-RESULT ", which bench.jar reads. Built and run by bench.jar, not by hand.
//
// What it keeps from go-example is every setting that changes the figures: the TLS configuration (the CA file or
// the system's trust store, ServerName sent as SNI and the certificate checked against it, TLS 1.2 at least),
// MQTT 3.1.1, the Dialer and ConnectTimeout of 10 s. What it drops: the 10-a-second pacing (unless
// MQTT_PUBLISH_RATE asks for it, as against a deployment), the kept session and the reconnects (a benchmark that
// fails should stop), and the lines the example prints.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

const (
	payloadSize = 256
	timeout     = 10 * time.Second
	stallLimit  = 20 * time.Second
)

// settings are what bench.jar hands every stack, as environment variables (BenchSettings.asEnvironment).
type settings struct {
	host            string
	port            int
	username        string
	password        string
	rootCAs         *x509.CertPool // MQTT_CA_FILE's certificates; nil for the system's trust store
	publishRate     int            // 0: no pacing
	stack           string
	clientID        string
	messages        int
	connects        int
	latencyRate     int
	latencyMessages int
	window          int
	warmup          int
}

func settingsFrom(getenv func(string) string) (settings, error) {
	s := settings{host: getenv("MQTT_HOST"), username: getenv("MQTT_USERNAME"), password: getenv("MQTT_PASSWORD"),
		stack: getenv("BENCH_STACK"), clientID: getenv("BENCH_CLIENT_ID")}
	numbers := []struct {
		name    string
		value   *int
		minimum int
	}{
		{"MQTT_PORT", &s.port, 1}, {"MQTT_PUBLISH_RATE", &s.publishRate, 0}, {"BENCH_MESSAGES", &s.messages, 1},
		{"BENCH_CONNECTS", &s.connects, 1}, {"BENCH_LATENCY_RATE", &s.latencyRate, 1},
		{"BENCH_LATENCY_MESSAGES", &s.latencyMessages, 1}, {"BENCH_WINDOW", &s.window, 1},
		{"BENCH_WARMUP", &s.warmup, 0},
	}
	for _, number := range numbers {
		value, err := strconv.Atoi(getenv(number.name))
		if err != nil || value < number.minimum {
			return s, fmt.Errorf("%s=%q is not a whole number of at least %d (bench.jar sets it)", number.name,
				getenv(number.name), number.minimum)
		}
		*number.value = value
	}
	if s.host == "" || s.clientID == "" {
		return s, errors.New("MQTT_HOST and BENCH_CLIENT_ID are not set: bench.jar runs this, not a user")
	}
	if file := getenv("MQTT_CA_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			return s, fmt.Errorf("MQTT_CA_FILE: %w", err)
		}
		s.rootCAs = x509.NewCertPool()
		if !s.rootCAs.AppendCertsFromPEM(pem) {
			return s, fmt.Errorf("MQTT_CA_FILE=%s holds no PEM certificate", file)
		}
	}
	return s, nil
}

// The clock of the payloads' due times: monotonic nanoseconds since the process started (one process, one clock).
var epoch = time.Now()

func nanos() int64 {
	return int64(time.Since(epoch))
}

// payload is message sequence's 256 bytes: the sequence number, then the time it was due (as Payload.java).
func payload(sequence int, dueNanos int64) []byte {
	bytes := make([]byte, payloadSize)
	binary.BigEndian.PutUint32(bytes[0:4], uint32(sequence))
	binary.BigEndian.PutUint64(bytes[4:12], uint64(dueNanos))
	return bytes
}

func sequenceOf(payload []byte) int {
	if len(payload) < 12 {
		return -1
	}
	return int(int32(binary.BigEndian.Uint32(payload[0:4])))
}

func dueNanosOf(payload []byte) int64 {
	return int64(binary.BigEndian.Uint64(payload[4:12]))
}

// window is the in-flight window (Window.java): at most size messages sent and not yet acknowledged, and at most
// size sent and not yet back. Each is a semaphore: a buffered channel holding one token per message in it. It also
// counts what came back (each message once, should the broker send one again), and ends a wait with an error when
// the connection fails or nothing new happens for 20 s.
type window struct {
	messages       int
	qos            byte
	onReceived     func(payload []byte)
	back           []atomic.Bool
	received       atomic.Int64
	acknowledged   atomic.Int64
	unacknowledged chan struct{}
	notBack        chan struct{}
	lastProgress   atomic.Int64

	failOnce     sync.Once
	failed       chan struct{}
	failure      error
	completeOnce sync.Once
	complete     chan struct{}
}

func newWindow(messages int, qos byte, size int, onReceived func(payload []byte)) *window {
	w := &window{messages: messages, qos: qos, onReceived: onReceived, back: make([]atomic.Bool, messages),
		unacknowledged: make(chan struct{}, size), notBack: make(chan struct{}, size),
		failed: make(chan struct{}), complete: make(chan struct{})}
	w.lastProgress.Store(nanos())
	return w
}

// awaitRoom waits until one more message may be sent, and takes its place in the window.
func (w *window) awaitRoom() error {
	if err := w.acquire(w.unacknowledged); err != nil {
		return err
	}
	return w.acquire(w.notBack)
}

// published: a QoS 0 message is done on the sender's side once handed to the client.
func (w *window) published() {
	if w.qos == 0 {
		release(w.unacknowledged)
	}
}

// receivedPayload is a message that came back through the subscription.
func (w *window) receivedPayload(payload []byte) {
	sequence := sequenceOf(payload)
	if sequence < 0 || sequence >= w.messages || !w.back[sequence].CompareAndSwap(false, true) {
		return
	}
	if w.onReceived != nil {
		w.onReceived(payload)
	}
	w.received.Add(1)
	w.lastProgress.Store(nanos())
	release(w.notBack)
	w.checkComplete()
}

// acknowledgedOne is the PUBACK of one QoS 1 message.
func (w *window) acknowledgedOne() {
	w.acknowledged.Add(1)
	w.lastProgress.Store(nanos())
	release(w.unacknowledged)
	w.checkComplete()
}

// fail ends every wait with err (the first failure counts), unless every message is already done.
func (w *window) fail(err error) {
	select {
	case <-w.complete:
		return
	default:
	}
	w.failOnce.Do(func() {
		w.failure = err
		close(w.failed)
	})
}

// awaitAll waits until every message is back (and, at QoS 1, acknowledged).
func (w *window) awaitAll() error {
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-w.complete:
			return nil
		case <-w.failed:
			return w.failedError()
		case <-ticker.C:
			if err := w.checkProgress(); err != nil {
				return err
			}
		}
	}
}

func (w *window) checkComplete() {
	if w.received.Load() == int64(w.messages) && (w.qos == 0 || w.acknowledged.Load() == int64(w.messages)) {
		w.completeOnce.Do(func() { close(w.complete) })
	}
}

func (w *window) acquire(room chan struct{}) error {
	select {
	case room <- struct{}{}:
		return nil
	default:
	}
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case room <- struct{}{}:
			return nil
		case <-w.failed:
			return w.failedError()
		case <-ticker.C:
			if err := w.checkProgress(); err != nil {
				return err
			}
		}
	}
}

// release frees one place; a place is only ever freed for a message that took one.
func release(room chan struct{}) {
	select {
	case <-room:
	default:
	}
}

func (w *window) failedError() error {
	return fmt.Errorf("the connection failed: %w", w.failure)
}

func (w *window) checkProgress() error {
	if time.Duration(nanos()-w.lastProgress.Load()) > stallLimit {
		return fmt.Errorf("nothing new for 20 s: %d of %d messages back, %d acknowledged (QoS %d)",
			w.received.Load(), w.messages, w.acknowledged.Load(), w.qos)
	}
	return nil
}

// dialer is go-example's: TCP and TLS given up after 10 s. Go turns Nagle's algorithm off (TCP_NODELAY) on every
// TCP connection it makes, so unlike Paho, MQTT.js and Paho Python this stack needs nothing for it (main_test.go).
func dialer() *net.Dialer {
	return &net.Dialer{Timeout: timeout}
}

// connect makes a new client and connection, and returns once CONNACK accepted it. With a window, the messages
// that arrive and a lost connection go to it.
func connect(s settings, clientID string, w *window) (mqtt.Client, error) {
	// The same trust as go-example: the CA file's certificates (or the system's), ServerName sent as SNI and the
	// certificate checked against it, TLS 1.2 at least. Never InsecureSkipVerify.
	tlsConfig := &tls.Config{
		RootCAs:    s.rootCAs,
		ServerName: s.host,
		MinVersion: tls.VersionTLS12,
	}
	options := mqtt.NewClientOptions().
		AddBroker("ssl://" + net.JoinHostPort(s.host, strconv.Itoa(s.port))).
		SetTLSConfig(tlsConfig).
		SetDialer(dialer()).
		SetConnectTimeout(timeout).
		SetProtocolVersion(4). // MQTT 3.1.1
		SetClientID(clientID).
		SetUsername(s.username).
		SetPassword(s.password).
		SetCleanSession(true). // go-example keeps its session and reconnects; a benchmark that fails should stop
		SetAutoReconnect(false)
	if w != nil {
		options.SetDefaultPublishHandler(func(_ mqtt.Client, message mqtt.Message) {
			w.receivedPayload(message.Payload())
		})
		options.SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			w.fail(fmt.Errorf("connection lost: %w", err))
		})
	}
	client := mqtt.NewClient(options)
	token := client.Connect()
	if !token.WaitTimeout(timeout + time.Second) { // paho.mqtt.golang itself gives up at 10 s
		return nil, fmt.Errorf("no CONNACK within %d s", int(timeout.Seconds()))
	}
	if err := token.Error(); err != nil {
		return nil, err
	}
	return client, nil
}

// disconnect sends DISCONNECT and closes, waiting at most 10 s for it to be sent.
func disconnect(client mqtt.Client) {
	client.Disconnect(uint(timeout.Milliseconds()))
}

func subscribe(client mqtt.Client, topic string, qos byte) error {
	token := client.Subscribe(topic, qos, nil) // nil: the default handler gets the messages
	if !token.WaitTimeout(timeout) {
		return fmt.Errorf("no SUBACK within %d s", int(timeout.Seconds()))
	}
	if err := token.Error(); err != nil {
		return err
	}
	if token.(*mqtt.SubscribeToken).Result()[topic] == 0x80 {
		return fmt.Errorf("SUBACK refused the subscription to %s", topic)
	}
	return nil
}

// publish hands one message to the client. At QoS 1 its token completes on the PUBACK, which a goroutine of its
// own waits for (as go-example does); at QoS 0 the message is done on the sender's side at once.
func publish(client mqtt.Client, w *window, topic string, data []byte, qos byte) {
	token := client.Publish(topic, qos, false, data)
	if qos == 0 {
		w.published()
		select {
		case <-token.Done():
			if err := token.Error(); err != nil {
				w.fail(err)
			}
		default:
		}
		return
	}
	go func() {
		<-token.Done()
		if err := token.Error(); err != nil {
			w.fail(err)
			return
		}
		w.acknowledgedOne()
	}()
}

// pace keeps publishes at least 1/rate s apart (MQTT_PUBLISH_RATE; Serverless: 10 a second); rate 0: no pacing.
type pace struct {
	interval time.Duration
	next     time.Time
}

func newPace(rate int) *pace {
	if rate == 0 {
		return &pace{}
	}
	return &pace{interval: time.Second / time.Duration(rate), next: time.Now()}
}

func (p *pace) awaitTurn() {
	if p.interval == 0 {
		return
	}
	if wait := time.Until(p.next); wait > 0 {
		time.Sleep(wait)
	}
	now := time.Now()
	if p.next.Before(now.Add(-p.interval)) {
		p.next = now.Add(-p.interval)
	}
	p.next = p.next.Add(p.interval)
}

// bench is one run's work on one client id, each measurement on a topic of its own.
type bench struct {
	settings
	measurement int
}

func (b *bench) topic() string {
	b.measurement++
	return fmt.Sprintf("bench/%s/%d", b.clientID, b.measurement)
}

// connectTimes is count fresh connections, one after the other: TCP, TLS handshake, CONNECT and CONNACK.
// Closing is not counted.
func (b *bench) connectTimes(count int) ([]int64, error) {
	micros := make([]int64, 0, count)
	for i := 0; i < count; i++ {
		start := time.Now()
		client, err := connect(b.settings, fmt.Sprintf("%s-c%d", b.clientID, i), nil)
		if err != nil {
			return nil, err
		}
		micros = append(micros, time.Since(start).Microseconds())
		disconnect(client)
	}
	return micros, nil
}

// throughput is messages a second: messages published and received back on one connection, within the window.
func (b *bench) throughput(qos byte, messages int) (float64, error) {
	w := newWindow(messages, qos, b.window, nil)
	client, err := connect(b.settings, b.clientID, w)
	if err != nil {
		return 0, err
	}
	defer disconnect(client)
	topic := b.topic()
	if err := subscribe(client, topic, qos); err != nil {
		return 0, err
	}
	pace := newPace(b.publishRate)
	start := time.Now()
	for i := 0; i < messages; i++ {
		if err := w.awaitRoom(); err != nil {
			return 0, err
		}
		pace.awaitTurn()
		publish(client, w, topic, payload(i, nanos()), qos)
	}
	if err := w.awaitAll(); err != nil {
		return 0, err
	}
	return float64(messages) / time.Since(start).Seconds(), nil
}

// latency is the round trip of each of messages QoS 1 messages sent at BENCH_LATENCY_RATE a second, taken from
// the time each was due, not when it went out: a stack that falls behind pays for the wait too.
func (b *bench) latency(messages int) ([]int64, error) {
	var mu sync.Mutex
	micros := make([]int64, 0, messages)
	w := newWindow(messages, 1, b.window, func(payload []byte) {
		mu.Lock()
		defer mu.Unlock()
		micros = append(micros, max(0, (nanos()-dueNanosOf(payload))/1000))
	})
	client, err := connect(b.settings, b.clientID, w)
	if err != nil {
		return nil, err
	}
	defer disconnect(client)
	topic := b.topic()
	if err := subscribe(client, topic, 1); err != nil {
		return nil, err
	}
	interval := int64(time.Second) / int64(b.latencyRate)
	start := nanos()
	for i := 0; i < messages; i++ {
		due := start + int64(i)*interval
		sleepUntil(due)
		if err := w.awaitRoom(); err != nil {
			return nil, err
		}
		publish(client, w, topic, payload(i, due), 1)
	}
	if err := w.awaitAll(); err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	return micros, nil
}

// result is the JSON line bench.jar reads: every connect and latency sample in microseconds, as the scripts send.
type result struct {
	Stack               string  `json:"stack"`
	Transport           string  `json:"transport"`
	ConnectMicrosValues []int64 `json:"connectMicrosValues"`
	Qos0PerSecond       float64 `json:"qos0PerSecond"`
	Qos1PerSecond       float64 `json:"qos1PerSecond"`
	CPUSeconds          float64 `json:"cpuSeconds"`
	LatencyMicrosValues []int64 `json:"latencyMicrosValues"`
	PeakRssBytes        int64   `json:"peakRssBytes"`
	PeakHeapBytes       int64   `json:"peakHeapBytes"`
}

func run(s settings, out io.Writer) error {
	b := &bench{settings: s}
	if s.warmup > 0 {
		if _, err := b.connectTimes(min(s.connects, 10)); err != nil {
			return err
		}
		if _, err := b.throughput(0, s.warmup); err != nil {
			return err
		}
		if _, err := b.throughput(1, s.warmup); err != nil {
			return err
		}
		if _, err := b.latency(min(s.latencyMessages, s.warmup/4+1)); err != nil {
			return err
		}
	}
	r := result{Stack: s.stack, Transport: "TLS", PeakHeapBytes: -1}
	var err error
	if r.ConnectMicrosValues, err = b.connectTimes(s.connects); err != nil {
		return err
	}
	// The cost: CPU time of this process (every thread: the client's goroutines, the bench's, the garbage
	// collector's) for the two throughput measurements.
	cpuBefore := cpuSeconds()
	if r.Qos0PerSecond, err = b.throughput(0, s.messages); err != nil {
		return err
	}
	if r.Qos1PerSecond, err = b.throughput(1, s.messages); err != nil {
		return err
	}
	r.CPUSeconds = cpuSeconds() - cpuBefore
	if r.LatencyMicrosValues, err = b.latency(s.latencyMessages); err != nil {
		return err
	}
	r.PeakRssBytes = peakRssBytes()
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "BENCH-RESULT %s\n", line)
	return err
}

// cpuSeconds is the CPU time this process has used so far, user and system (getrusage).
func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}

// peakRssBytes is VmHWM from /proc, as the other stacks report it (not getrusage's maximum, which survives exec,
// so a process started by a large JVM would report that JVM's size), or -1 where /proc is not there.
func peakRssBytes() int64 {
	status, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer status.Close()
	lines := bufio.NewScanner(status)
	for lines.Scan() {
		if value, found := strings.CutPrefix(lines.Text(), "VmHWM:"); found {
			kilobytes, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
			if err == nil {
				return kilobytes * 1024
			}
		}
	}
	return -1
}

func main() {
	s, err := settingsFrom(os.Getenv)
	if err == nil {
		err = run(s, os.Stdout)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ERROR: %v\n", err) // one line, as the other stacks print
		if os.Getenv("BENCH_DEBUG") == "true" {
			fmt.Fprintf(os.Stderr, "%#v\n", err)
		}
		os.Exit(1)
	}
}
