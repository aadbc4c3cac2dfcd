'use strict';
// The bookkeeping of a run of N QoS 1 messages: which were acknowledged (PUBACK), which came back through the
// subscription (each payload counted once; a repeat is a duplicate, which QoS 1 allows), and a window of at most
// so many unfinished messages (sent, but not yet both acknowledged and back), so a large N never piles up in the
// broker's queue for this session (1000 messages on EMQX and HiveMQ).
//
// MQTT.js reports PUBACKs and messages as events; the example's main flow awaits the `await...` methods. Every
// wait ends with a Stalled error once nothing new has happened for 20 s.

const STALL_LIMIT_MS = 20_000;

/** Nothing new arrived for 20 s; `notBack`: the missing ones were acknowledged but did not come back. */
class Stalled extends Error {
  constructor(message, notBack) {
    super(message);
    this.notBack = notBack;
  }
}

/**
 * How many messages may be unfinished at once: `window`, and with pacing half a second's worth. After a reconnect the
 * client sends again, at once, every message the broker had not acknowledged and those it kept meanwhile, and the next
 * new message goes right after them. The broker takes that burst from its allowance for this client (Serverless: a
 * bucket of 10, refilled at 10 a second), and the messages after it come at exactly the rate the bucket refills: a
 * burst that empties it leaves no room for the slightest jitter, and a message is then dropped unnoticed (MQTT 3.1.1).
 * Half the rate, and the next one, leave 4 of the 10. With a window of 10 a message was lost at every broker restart.
 */
function windowFor(window, publishRate) {
  return publishRate === 0 ? window : Math.min(window, Math.max(1, Math.floor(publishRate / 2)));
}

class RoundTrip {
  constructor(clientId, total) {
    this.payloadPrefix = `Hello from ${clientId} #`;
    this.total = total;
    this.acknowledged = new Set();
    this.received = new Set();
    this.duplicates = 0;
    this.started = 0;
    this.finished = 0;
    this.lastProgress = performance.now();
    this.wakeUp = () => {};
  }

  /** The payload of message i (1..N): "Hello from CLIENT_ID #i". */
  payload(i) {
    return this.payloadPrefix + i;
  }

  /** Resolves once fewer than `window` messages are unfinished, and counts one more as sent. */
  async awaitRoom(window) {
    await this.awaitUntil(() => this.started - this.finished < window);
    this.started++;
    this.lastProgress = performance.now();
  }

  /** The broker acknowledged message i (PUBACK). */
  acknowledge(i) {
    if (!this.acknowledged.has(i)) {
      this.acknowledged.add(i);
      this.progress(i);
    }
  }

  /** A message arrived through the subscription; payloads that are not this run's are ignored. */
  receive(payload) {
    const i = this.indexOf(payload);
    if (i < 0) {
      return;
    }
    if (this.received.has(i)) {
      this.duplicates++;
      return;
    }
    this.received.add(i);
    this.progress(i);
  }

  awaitAllAcknowledged() {
    return this.awaitUntil(() => this.acknowledged.size >= this.total);
  }

  awaitAllReceived() {
    return this.awaitUntil(() => this.received.size >= this.total);
  }

  progress(i) {
    if (this.acknowledged.has(i) && this.received.has(i)) {
      this.finished++;
    }
    this.lastProgress = performance.now();
    this.wakeUp();
  }

  /** Waits for `done()` to hold, re-checking at each acknowledgement or message; Stalled after 20 s of nothing. */
  async awaitUntil(done) {
    while (!done()) {
      const left = this.lastProgress + STALL_LIMIT_MS - performance.now();
      if (left <= 0) {
        throw this.stalled();
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  stalled() {
    const seconds = STALL_LIMIT_MS / 1000;
    return this.received.size < this.total
      ? new Stalled(`${this.total - this.received.size} of ${this.total} messages did not come back within`
        + ` ${seconds} s of the last one`, true)
      : new Stalled(`${this.total - this.acknowledged.size} of ${this.total} messages were not acknowledged`
        + ` (PUBACK) within ${seconds} s of the last one`, false);
  }

  indexOf(payload) {
    if (!payload.startsWith(this.payloadPrefix)) {
      return -1;
    }
    const digits = payload.slice(this.payloadPrefix.length);
    const i = /^[0-9]+$/.test(digits) ? Number(digits) : -1;
    return i >= 1 && i <= this.total ? i : -1;
  }
}

module.exports = { RoundTrip, Stalled, windowFor, STALL_LIMIT_MS };
