package main

// The settings users get wrong, each refused before anything connects, with the line the harness checks.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var requiredVariables = map[string]string{
	"MQTT_HOST": "xxxxxxxx.ala.us-east-1.emqxsl.com", "MQTT_USERNAME": "demo", "MQTT_PASSWORD": "secret",
}

// env is the required variables with changes: a value "" unsets the variable.
func env(changes map[string]string) func(string) string {
	variables := map[string]string{}
	for name, value := range requiredVariables {
		variables[name] = value
	}
	for name, value := range changes {
		variables[name] = value
	}
	return func(name string) string { return variables[name] }
}

func settingsWith(t *testing.T, changes map[string]string) Settings {
	t.Helper()
	settings, err := FromEnvironment(env(changes), "go")
	if err != nil {
		t.Fatalf("unexpected refusal: %v", err)
	}
	return settings
}

// refusal is the line for settings that must be refused.
func refusal(t *testing.T, changes map[string]string) string {
	t.Helper()
	_, err := FromEnvironment(env(changes), "go")
	if !isSettingsError(err) {
		t.Fatalf("%v: want a settings error, got %v", changes, err)
	}
	return err.Error()
}

func TestDefaults(t *testing.T) {
	settings := settingsWith(t, nil)
	if settings.Port != 8883 || settings.Messages != 1 || settings.PublishRate != 10 {
		t.Errorf("port %d, messages %d, rate %d", settings.Port, settings.Messages, settings.PublishRate)
	}
	if !regexp.MustCompile(`^go-[0-9a-f]{8}$`).MatchString(settings.ClientID) || len(settings.ClientID) > 23 {
		t.Errorf("client id %q", settings.ClientID)
	}
	if settings.Topic != "serverless-examples/"+settings.ClientID {
		t.Errorf("topic %q", settings.Topic)
	}
	if settings.RootCAs != nil || settings.TrustDescription() != "system default trust store" {
		t.Errorf("trust %q", settings.TrustDescription())
	}
}

func TestThePasswordIsNeverPrinted(t *testing.T) {
	settings := settingsWith(t, nil)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, value := range []any{settings, &settings} {
			if printed := fmt.Sprintf(format, value); strings.Contains(printed, "secret") {
				t.Errorf("%s shows the password: %s", format, printed)
			}
		}
	}
}

func TestAnEmptyValueCountsAsNotSet(t *testing.T) {
	if line := refusal(t, map[string]string{"MQTT_HOST": "  "}); !strings.HasPrefix(line, "MQTT_HOST is not set") {
		t.Error(line)
	}
	if port := settingsWith(t, map[string]string{"MQTT_PORT": ""}).Port; port != 8883 {
		t.Error(port)
	}
}

func TestEachMissingVariableIsNamed(t *testing.T) {
	for name := range requiredVariables {
		t.Run(name, func(t *testing.T) {
			if line := refusal(t, map[string]string{name: ""}); !strings.HasPrefix(line, name+" is not set: export "+name+"=") {
				t.Error(line)
			}
		})
	}
}

func TestHost(t *testing.T) {
	cases := []struct {
		host       string
		says       []string
		mustNotSay []string
	}{
		{"mqtts://user:pa55word@abc.emqxsl.com:8883/x", []string{"MQTT_HOST=abc.emqxsl.com", "MQTT_PORT=8883"},
			[]string{"pa55word", "mqtts://user"}},
		{"abc.emqxsl.com:8883", []string{"MQTT_HOST=abc.emqxsl.com and MQTT_PORT=8883"}, nil},
		{"ssl://abc.emqxsl.com", []string{"a scheme (ssl://)", "MQTT_HOST=abc.emqxsl.com"}, nil},
		{"wss://abc.emqxsl.com:8084/mqtt", []string{"MQTT_HOST=abc.emqxsl.com; the port, MQTT_PORT=8084"}, nil},
		{"mqtt://abc.emqxsl.com", []string{"mqtt:// is plaintext MQTT"}, nil},
		{"abc .emqxsl.com", []string{"MQTT_HOST contains a space"}, nil},
		{"2001:db8::1", []string{"MQTT_HOST is an IPv6 address: ", "domain name"}, nil},
		{"[::1]", []string{"MQTT_HOST is an IPv6 address"}, nil},
		{"fe80::1%eth0", []string{"MQTT_HOST is an IPv6 address"}, nil},
		{"[::1]:8883", []string{"a port (8883)"}, nil},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			line := refusal(t, map[string]string{"MQTT_HOST": c.host})
			for _, phrase := range c.says {
				if !strings.Contains(line, phrase) {
					t.Errorf("missing %q: %s", phrase, line)
				}
			}
			for _, phrase := range c.mustNotSay {
				if strings.Contains(line, phrase) {
					t.Errorf("repeats %q: %s", phrase, line)
				}
			}
		})
	}
	if host := settingsWith(t, map[string]string{"MQTT_HOST": "cafe.emqxsl.com"}).Host; host != "cafe.emqxsl.com" {
		t.Error(host)
	}
}

func TestTopic(t *testing.T) {
	cases := []struct{ topic, starts, says string }{
		{"a/+/b", "MQTT_TOPIC contains the wildcard '+'", ""},
		{"a/#", "MQTT_TOPIC contains the wildcard '#'", "wildcards are for subscribing"},
		{"a\x00b", "MQTT_TOPIC contains the character U+0000", ""},
		{strings.Repeat("é", 40000), "MQTT_TOPIC is 80000 bytes long in UTF-8, and MQTT allows at most 65535", ""},
	}
	for _, c := range cases {
		t.Run(c.starts, func(t *testing.T) {
			line := refusal(t, map[string]string{"MQTT_TOPIC": c.topic})
			if !strings.HasPrefix(line, c.starts) || !strings.Contains(line, c.says) {
				t.Error(line)
			}
		})
	}
}

func TestCAFile(t *testing.T) {
	folder := t.TempDir()
	notPEM := filepath.Join(folder, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		folder:                               "is a directory",
		filepath.Join(folder, "missing.crt"): "cannot be read",
		notPEM:                               "holds no PEM certificate",
	}
	for path, says := range cases {
		t.Run(says, func(t *testing.T) {
			line := refusal(t, map[string]string{"MQTT_CA_FILE": path})
			if !strings.HasPrefix(line, "MQTT_CA_FILE="+path+" "+says) {
				t.Error(line)
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	cases := map[string][]string{
		"MQTT_PORT":         {"0", "65536", "abc", "88.83", "-1", "eighty"},
		"MQTT_MESSAGES":     {"0", "-5", "1.5", "ten", "99999999999999999999"},
		"MQTT_PUBLISH_RATE": {"+5", "-0", "-1", "1.5", "10/s", "ten", "١٠"},
	}
	says := map[string]string{
		"MQTT_PORT": "is not a port number", "MQTT_MESSAGES": "is not a positive whole number",
		"MQTT_PUBLISH_RATE": "is not a whole number",
	}
	for name, values := range cases {
		for _, value := range values {
			t.Run(name+"="+value, func(t *testing.T) {
				line := refusal(t, map[string]string{name: value})
				if !strings.HasPrefix(line, name+"="+value+" "+says[name]) {
					t.Error(line)
				}
			})
		}
	}
	if rate := settingsWith(t, map[string]string{"MQTT_PUBLISH_RATE": "0"}).PublishRate; rate != 0 {
		t.Error(rate)
	}
}

func TestASettingsErrorIsOneLineAndExitCode2(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runExample(env(map[string]string{"MQTT_HOST": ""}), &stdout, &stderr)
	if code != 2 || stdout.Len() != 0 {
		t.Errorf("exit code %d, printed %q", code, stdout.String())
	}
	if want := "ERROR: MQTT_HOST is not set: export MQTT_HOST=<your deployment's address from the console," +
		" e.g. xxxxxxxx.ala.us-east-1.emqxsl.com>\n"; stderr.String() != want {
		t.Errorf("%q", stderr.String())
	}
}
