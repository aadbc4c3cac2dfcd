'use strict';
// A first connect's timeout after TLS completed is a CONNECT the server never answered, and says so; before, it
// stays the timeout that points at the network. MQTT.js's own "connack timeout" runs from before the handshake.
const test = require('node:test');
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { fromEnvironment } = require('../lib/settings');
const { describe: line, ConnectTimeout } = require('../lib/failures');
const { UnansweredConnect, watchTls } = require('../lib/unanswered-connect');

const SETTINGS = fromEnvironment({ MQTT_HOST: 'xxxxxxxx.ala.us-east-1.emqxsl.com', MQTT_USERNAME: 'demo',
  MQTT_PASSWORD: 'secret' }, 'node');

/** A client as mqtt.connect() returns it, for what watchTls reads: its connection, a TLS socket. */
function clientConnecting() {
  return { stream: new EventEmitter() };
}

test('a timeout after the TLS handshake completed is a CONNECT never answered', () => {
  const client = clientConnecting();
  const afterTls = watchTls(client);
  client.stream.emit('secureConnect');

  const failure = afterTls(new Error('connack timeout'));

  assert.ok(failure instanceof UnansweredConnect);
  assert.match(line(failure, SETTINGS), /^The server accepted the connection \(TLS completed\) but never answered the MQTT CONNECT within 10 s\. Usually the deployment is starting or overloaded/);
  assert.doesNotMatch(line(failure, SETTINGS), /timed out/);
});

test('a timeout before the TLS handshake completed stays the timeout, and its line', () => {
  const afterTls = watchTls(clientConnecting()); // no secureConnect: the server never answered the ClientHello
  const timeout = new ConnectTimeout('no CONNACK within 10 s');
  const connackTimeout = new Error('connack timeout');

  assert.equal(afterTls(timeout), timeout);
  assert.equal(afterTls(connackTimeout), connackTimeout);
  assert.match(line(afterTls(connackTimeout), SETTINGS), /^The connection timed out\./);
});
