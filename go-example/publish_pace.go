package main

// Keeps this client's publishes to at most MQTT_PUBLISH_RATE per second: each one at least 1/rate seconds after
// the one before.
//
// Why: a Serverless deployment lets one client publish 10 messages per second and does not tell an MQTT 3.1.1
// client when it goes over: the PUBACK looks normal and the message is dropped. paho.mqtt.golang has no publish
// rate limit of its own, so the example keeps to the rate itself. The gap is measured from the previous
// publish: after a pause (a full window, a reconnect) the next message goes at once, never a burst to catch up.
// A rate of 0 turns pacing off, for brokers without this quota.

import "time"

// PublishPace spaces publishes at least 1/rate seconds apart.
type PublishPace struct {
	gap         time.Duration // 0: no pacing
	lastPublish time.Time     // zero before the first publish
}

// NewPublishPace paces at most messagesPerSecond publishes a second; 0 turns pacing off.
func NewPublishPace(messagesPerSecond int) *PublishPace {
	if messagesPerSecond == 0 {
		return &PublishPace{}
	}
	return &PublishPace{gap: time.Second / time.Duration(messagesPerSecond)}
}

// AwaitTurn returns when a publish now keeps to the rate, and counts it as done: call it just before each publish.
func (p *PublishPace) AwaitTurn() {
	if p.gap == 0 {
		return // MQTT_PUBLISH_RATE=0: no pacing
	}
	now := time.Now()
	if !p.lastPublish.IsZero() {
		if wait := p.lastPublish.Add(p.gap).Sub(now); wait > 0 {
			time.Sleep(wait) // sleeps at least that long
			now = time.Now()
		}
	}
	p.lastPublish = now
}
