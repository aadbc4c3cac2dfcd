package main

// The connection settings, read from MQTT_* environment variables and checked before anything connects.
// A missing or malformed one ends the run with a *SettingsError naming the variable (exit code 2).

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

const (
	defaultTLSPort = 8883
	// MQTT encodes a topic name's length in two bytes.
	maxTopicBytes = 65535
	// What a Serverless deployment allows one client to publish: 10 messages per second.
	defaultPublishRate = 10
	maxWholeNumber     = 2147483647
)

var wholeNumber = regexp.MustCompile(`^[0-9]+$`)

// SettingsError is a missing or malformed setting: the message names the variable and what to put in it.
type SettingsError struct {
	message string
}

func (e *SettingsError) Error() string {
	return e.message
}

func settingsError(format string, args ...any) *SettingsError {
	return &SettingsError{message: fmt.Sprintf(format, args...)}
}

// Settings are what the example connects with. String and GoString leave the password out, so a printed or
// logged Settings never shows it.
type Settings struct {
	Host        string
	Port        int
	Username    string
	Password    string
	CAFile      string         // "" for the system's default trust store
	RootCAs     *x509.CertPool // MQTT_CA_FILE's certificates; nil for the system's default trust store
	Topic       string
	ClientID    string
	Messages    int
	PublishRate int // messages per second; 0 turns pacing off
}

func (s Settings) String() string {
	return fmt.Sprintf("{Host:%s Port:%d Username:%s CAFile:%s Topic:%s ClientID:%s Messages:%d PublishRate:%d}",
		s.Host, s.Port, s.Username, s.CAFile, s.Topic, s.ClientID, s.Messages, s.PublishRate)
}

func (s Settings) GoString() string {
	return "Settings" + s.String()
}

// TrustDescription is what the example trusts, in words for the first line it prints.
func (s Settings) TrustDescription() string {
	if s.CAFile == "" {
		return "system default trust store"
	}
	return "MQTT_CA_FILE " + s.CAFile
}

// FromEnvironment reads the settings through getenv (os.Getenv). Without MQTT_CLIENT_ID the client id is
// clientIDPrefix and 8 random hex digits, 23 characters at most: the MQTT 3.1.1 limit (and some deployments'),
// so a default id is accepted everywhere.
func FromEnvironment(getenv func(string) string, clientIDPrefix string) (Settings, error) {
	var s Settings
	host, err := required(getenv, "MQTT_HOST",
		"your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com")
	if err != nil {
		return s, err
	}
	// The domain name alone: a pasted URL (scheme, port or path) is refused with what to set instead.
	if s.Host, err = domainOnly(host); err != nil {
		return s, err
	}
	if s.Port, err = port(getenv); err != nil {
		return s, err
	}
	if s.Username, err = required(getenv, "MQTT_USERNAME", "a user from the deployment's Authentication page"); err != nil {
		return s, err
	}
	if s.Password, err = required(getenv, "MQTT_PASSWORD", "that user's password"); err != nil {
		return s, err
	}
	if s.CAFile, s.RootCAs, err = caFile(getenv); err != nil {
		return s, err
	}
	s.ClientID = optional(getenv, "MQTT_CLIENT_ID")
	if s.ClientID == "" {
		s.ClientID = clientIDPrefix + "-" + randomHex(4)
	}
	if topic := optional(getenv, "MQTT_TOPIC"); topic != "" {
		if s.Topic, err = checkTopic(topic); err != nil {
			return s, err
		}
	} else {
		s.Topic = "serverless-examples/" + s.ClientID
	}
	if s.Messages, err = messages(getenv); err != nil {
		return s, err
	}
	if s.PublishRate, err = publishRate(getenv); err != nil {
		return s, err
	}
	return s, nil
}

func required(getenv func(string) string, name, hint string) (string, error) {
	value := optional(getenv, name)
	if value == "" {
		return "", settingsError("%s is not set: export %s=<%s>", name, name, hint)
	}
	return value, nil
}

// optional is the variable's value without surrounding spaces; an empty value counts as not set.
func optional(getenv func(string) string, name string) string {
	return strings.TrimSpace(getenv(name))
}

func randomHex(bytes int) string {
	b := make([]byte, bytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on a supported platform
	return hex.EncodeToString(b)
}

// caFile checks MQTT_CA_FILE: a readable file holding at least one PEM certificate; a directory is named as
// such. It returns the file's certificates as a pool, or a nil pool when MQTT_CA_FILE is not set.
func caFile(getenv func(string) string) (string, *x509.CertPool, error) {
	path := optional(getenv, "MQTT_CA_FILE")
	if path == "" {
		return "", nil, nil
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return "", nil, settingsError("MQTT_CA_FILE=%s is a directory: give the path of the CA file itself"+
			" (emqxsl-ca.crt, PEM), or unset it to use the system's default trust store", path)
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return "", nil, settingsError("MQTT_CA_FILE=%s cannot be read: give the path of the deployment's CA file"+
			" (emqxsl-ca.crt, PEM), or unset it to use the system's default trust store", path)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return "", nil, settingsError("MQTT_CA_FILE=%s holds no PEM certificate: download the deployment's CA file"+
			" (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE", path)
	}
	return path, pool, nil
}

// checkTopic checks MQTT_TOPIC, where the example publishes: it must be a valid topic name. No wildcard (those
// are for subscribing), no U+0000, at most 65535 bytes in UTF-8. The value is not echoed: it may be huge.
func checkTopic(topic string) (string, error) {
	if len(topic) > maxTopicBytes {
		return "", settingsError("MQTT_TOPIC is %d bytes long in UTF-8, and MQTT allows at most %d"+
			": set a shorter topic, e.g. MQTT_TOPIC=serverless-examples/test, or unset it", len(topic), maxTopicBytes)
	}
	if strings.ContainsRune(topic, 0) {
		return "", settingsError("MQTT_TOPIC contains the character U+0000, which MQTT does not allow in a topic" +
			": set a plain topic name, e.g. MQTT_TOPIC=serverless-examples/test, or unset it")
	}
	if strings.ContainsAny(topic, "+#") {
		wildcard := "'+'"
		if strings.Contains(topic, "#") {
			wildcard = "'#'"
		}
		return "", settingsError("MQTT_TOPIC contains the wildcard %s: the example publishes to this topic,"+
			" so it must be a plain topic name without + or #, e.g. MQTT_TOPIC=serverless-examples/test"+
			" (wildcards are for subscribing)", wildcard)
	}
	return topic, nil
}

// wholeNumberIn is value as a whole number (ASCII digits only) within [min, max], or false.
func wholeNumberIn(value string, min, max int64) (int, bool) {
	if !wholeNumber.MatchString(value) {
		return 0, false
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n < min || n > max {
		return 0, false
	}
	return int(n), true
}

func port(getenv func(string) string) (int, error) {
	value := optional(getenv, "MQTT_PORT")
	if value == "" {
		value = strconv.Itoa(defaultTLSPort)
	}
	if n, ok := wholeNumberIn(value, 1, 65535); ok {
		return n, nil
	}
	return 0, settingsError("MQTT_PORT=%s is not a port number"+
		": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)", value)
}

// messages is MQTT_MESSAGES: how many QoS 1 messages to send and receive back; 1 when not set.
func messages(getenv func(string) string) (int, error) {
	value := optional(getenv, "MQTT_MESSAGES")
	if value == "" {
		value = "1"
	}
	if n, ok := wholeNumberIn(value, 1, maxWholeNumber); ok {
		return n, nil
	}
	return 0, settingsError("MQTT_MESSAGES=%s is not a positive whole number"+
		": export MQTT_MESSAGES=<how many QoS 1 messages to send, e.g. 1000>, or unset it to send 1", value)
}

// publishRate is MQTT_PUBLISH_RATE: at most this many messages per second (see publish_pace.go); 10 when not
// set, what a Serverless deployment allows one client. 0 turns pacing off, for brokers without that quota.
func publishRate(getenv func(string) string) (int, error) {
	value := optional(getenv, "MQTT_PUBLISH_RATE")
	if value == "" {
		value = strconv.Itoa(defaultPublishRate)
	}
	if n, ok := wholeNumberIn(value, 0, maxWholeNumber); ok {
		return n, nil
	}
	return 0, settingsError("MQTT_PUBLISH_RATE=%s is not a whole number of messages per second"+
		": export MQTT_PUBLISH_RATE=10 (what a Serverless deployment allows one client), 0 to publish"+
		" without pacing (a broker without that quota), or unset it for 10", value)
}

// MQTT_HOST takes the deployment's domain name alone. The console also shows it inside addresses such as
// mqtts://xxx.emqxsl.com:8883 and wss://xxx.emqxsl.com:8084/mqtt, and those get pasted. This check names what
// is extra and what to set instead, built only from the parts taken out of the value, never the value itself:
// a pasted URL may carry a user name and password (mqtts://user:secret@host).
var (
	scheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)
	domain = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$`)
	digits = regexp.MustCompile(`^[0-9]{1,5}$`)
	// An IPv6 address, bare or in brackets ("2001:db8::1", "[::1]"): no host name has two colons, and
	// Serverless is never reached by address, only by its domain name.
	ipv6Address = regexp.MustCompile(`^\[?[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\]]*)?\]?$`)
)

// domainOnly is MQTT_HOST as given when it is a name alone; otherwise a *SettingsError saying what to set.
func domainOnly(value string) (string, error) {
	if strings.IndexFunc(value, unicode.IsSpace) >= 0 {
		return "", settingsError("MQTT_HOST contains a space: it takes the deployment's domain name alone" +
			" (no scheme, port or path), e.g. xxxxxxxx.ala.us-east-1.emqxsl.com; copy it again from the" +
			" console, without spaces")
	}
	if ipv6Address.MatchString(value) {
		return "", settingsError("MQTT_HOST is an IPv6 address: Serverless is reached by the deployment's domain" +
			" name, which the client sends as SNI and checks against the certificate; set MQTT_HOST to the address" +
			" the console shows, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com")
	}
	foundScheme := ""
	rest := value
	if match := scheme.FindStringSubmatch(value); match != nil {
		foundScheme = strings.ToLower(match[1])
		rest = value[len(match[0]):]
	}
	pathStart := strings.IndexAny(rest, "/?#")
	authority := rest
	if pathStart >= 0 {
		authority = rest[:pathStart]
	}
	hostAndPort := authority[strings.LastIndex(authority, "@")+1:] // without user:password@
	colon := portColon(hostAndPort)
	host, foundPort, hasPort := hostAndPort, "", false
	if colon >= 0 {
		host, foundPort, hasPort = hostAndPort[:colon], hostAndPort[colon+1:], true
	}
	userInfo := strings.Contains(authority, "@")
	if foundScheme == "" && !userInfo && !hasPort && pathStart < 0 {
		return value, nil
	}
	return "", &SettingsError{message: describePaste(foundScheme, userInfo, host, foundPort, hasPort, pathStart >= 0)}
}

// portColon is where "host:port" splits: after a bracketed IPv6 address ("[::1]:8883"), or at the only colon.
func portColon(hostAndPort string) int {
	if strings.HasPrefix(hostAndPort, "[") {
		from := max(strings.Index(hostAndPort, "]"), 0)
		if i := strings.Index(hostAndPort[from:], ":"); i >= 0 {
			return from + i
		}
		return -1
	}
	colon := strings.Index(hostAndPort, ":")
	if colon != strings.LastIndex(hostAndPort, ":") {
		return -1 // a bare IPv6 address has several (refused before)
	}
	return colon
}

func describePaste(foundScheme string, userInfo bool, host, foundPort string, hasPort, path bool) string {
	numericPort := hasPort && digits.MatchString(foundPort)
	var extra []string
	if foundScheme != "" {
		extra = append(extra, "a scheme ("+foundScheme+"://)")
	}
	if userInfo {
		extra = append(extra, "a user name before '@' (credentials go in MQTT_USERNAME and MQTT_PASSWORD)")
	}
	if hasPort {
		if numericPort {
			extra = append(extra, "a port ("+foundPort+")")
		} else {
			extra = append(extra, "a ':' after the name")
		}
	}
	if path {
		extra = append(extra, "a path")
	}
	listed := extra[len(extra)-1]
	if len(extra) > 1 {
		listed = strings.Join(extra[:len(extra)-1], ", ") + " and " + listed
	}
	target := "MQTT_HOST to the address the console shows"
	if domain.MatchString(host) {
		target = "MQTT_HOST=" + host
	}
	if !numericPort {
		foundPort = ""
	}
	return "MQTT_HOST takes the deployment's domain name alone (no scheme, port or path), but it has " +
		listed + ": set " + target + portAdvice(foundScheme, foundPort)
}

// portAdvice is MQTT_PORT for the port found, unless that port (or the scheme) is not MQTT over TLS.
func portAdvice(foundScheme, foundPort string) string {
	switch {
	case foundPort == "8084":
		return "; the port, MQTT_PORT=8084, is Serverless' MQTT over WebSocket port, and this example speaks" +
			" MQTT over TLS: leave MQTT_PORT unset for 8883"
	case foundPort == "1883" || foundPort == "8083":
		return "; the port, MQTT_PORT=" + foundPort + ", is for plaintext MQTT, which Serverless does not offer:" +
			" leave MQTT_PORT unset for 8883 (MQTT over TLS)"
	case foundPort == "8883":
		return " and MQTT_PORT=8883 (the default, so MQTT_PORT can also stay unset)"
	case foundPort != "":
		return " and MQTT_PORT=" + foundPort
	case foundScheme == "ws" || foundScheme == "wss":
		return "; " + foundScheme + ":// is MQTT over WebSocket (port 8084), and this example speaks MQTT over TLS, on 8883"
	case foundScheme == "tcp" || foundScheme == "mqtt":
		return "; " + foundScheme + ":// is plaintext MQTT, which Serverless does not offer: this example speaks" +
			" MQTT over TLS, on 8883"
	}
	return ""
}

// isSettingsError tells whether err is a setting the user must fix (exit code 2).
func isSettingsError(err error) bool {
	var settings *SettingsError
	return errors.As(err, &settings)
}
