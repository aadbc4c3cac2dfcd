'use strict';
// Keeps this client's publishes to at most MQTT_PUBLISH_RATE per second: each one at least 1/rate seconds
// after the one before.
//
// Why: a Serverless deployment lets one client publish 10 messages per second and does not tell an MQTT 3.1.1
// client when it goes over: the PUBACK looks normal and the message is dropped. MQTT.js has no publish rate
// limit of its own, so the example keeps to the rate itself. The gap is measured from the previous publish:
// after a pause (a full window, a reconnect) the next message goes at once, never a burst to catch up.
// A rate of 0 turns pacing off, for brokers without this quota.

const { setTimeout: sleep } = require('node:timers/promises');

class PublishPace {
  constructor(messagesPerSecond) {
    this.gapMs = messagesPerSecond === 0 ? 0 : 1000 / messagesPerSecond;
    this.lastPublish = undefined;
  }

  /** Resolves when a publish now keeps to the rate, and counts it as done: await it just before each publish. */
  async awaitTurn() {
    if (this.gapMs === 0) {
      return; // MQTT_PUBLISH_RATE=0: no pacing
    }
    let now = performance.now();
    if (this.lastPublish !== undefined) {
      const due = this.lastPublish + this.gapMs;
      while (now < due) { // in a loop: a timer may fire a little early
        await sleep(Math.ceil(due - now));
        now = performance.now();
      }
    }
    this.lastPublish = now;
  }
}

module.exports = { PublishPace };
