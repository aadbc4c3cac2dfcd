'use strict';
// Each failure becomes one line with the phrase the harness checks (CONTRIBUTING.md, "The one-line errors").
const test = require('node:test');
const assert = require('node:assert/strict');
const { fromEnvironment } = require('../lib/settings');
const { describe: line, report, reason, subscribeFailure, SubscriptionRefused, ConnectTimeout } = require('../lib/failures');
const { Stalled } = require('../lib/round-trip');

const SETTINGS = fromEnvironment({ MQTT_HOST: 'xxxxxxxx.ala.us-east-1.emqxsl.com', MQTT_USERNAME: 'demo',
  MQTT_PASSWORD: 'secret', MQTT_CLIENT_ID: 'c'.repeat(1100) }, 'node');
const BY_IP = fromEnvironment({ MQTT_HOST: '203.0.113.7', MQTT_USERNAME: 'demo', MQTT_PASSWORD: 'secret' }, 'node');

function failure(code, message = 'some message') {
  return Object.assign(new Error(message), { code });
}

const CASES = [
  ['CONNACK 4', failure(4, 'Connection refused: Bad username or password'), ['username or password']],
  ['CONNACK 5', failure(5, 'Connection refused: Not authorized'), ['not authorized']],
  ['CONNACK 2', failure(2, 'Connection refused: Identifier rejected'), ['client id', 'MQTT_CLIENT_ID', '23', '1100 characters']],
  ['untrusted chain', failure('SELF_SIGNED_CERT_IN_CHAIN'), ['not trusted']],
  ['unknown issuer', failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), ['not trusted']],
  ['expired', failure('CERT_HAS_EXPIRED'), ['expired']],
  ['not yet valid', failure('CERT_NOT_YET_VALID'), ['expired']],
  ['other host', failure('ERR_TLS_CERT_ALTNAME_INVALID'), ['does not match']],
  ['handshake closed (no or wrong SNI)',
    failure('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'),
    ['SNI', 'TLS port']],
  ['not TLS', failure('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), ['TLS port']],
  ['TLS 1.1 only', failure('ERR_SSL_UNSUPPORTED_PROTOCOL', 'unsupported protocol'), ['TLS version']],
  ['protocol_version alert', failure('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version'), ['TLS version']],
  ['refused', failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), ['connection refused']],
  ['no CONNACK in time', new ConnectTimeout('no CONNACK within 10 s'), ['timed out']],
  ['socket timeout', failure('ETIMEDOUT'), ['timed out']],
  ['not resolved', failure('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid'), ['could not be resolved']],
  ['SUBACK 0x80', new SubscriptionRefused('SUBACK 0x80'),
    ['refused the subscription', 'SUBACK 0x80', 'ACL', 'Authorization page', '10 subscriptions', '10 levels']],
  ['messages missing', new Stalled('20 of 30 messages did not come back within 20 s of the last one', true),
    ['did not come back', '20 of 30', 'ACL', 'MQTT_PUBLISH_RATE']],
];

for (const [name, error, phrases] of CASES) {
  test(`${name}: ${phrases.join(', ')}`, () => {
    const text = line(error, SETTINGS);
    for (const phrase of phrases) {
      assert.ok(text.toLowerCase().includes(phrase.toLowerCase()), text);
    }
    assert.ok(!text.includes('\n'), 'one line');
    assert.ok(!text.includes('secret'), 'never the password');
  });
}

test('messages without a PUBACK get no rate hint: the rate drops messages after their PUBACK', () => {
  const text = line(new Stalled('3 of 30 messages were not acknowledged (PUBACK) within 20 s of the last one', false), SETTINGS);
  assert.ok(text.includes('ACL'), text);
  assert.ok(!text.includes('MQTT_PUBLISH_RATE'), text);
});

test('an IP address in MQTT_HOST is named, whatever the failure', () => {
  const text = line(failure('ECONNRESET'), BY_IP);
  assert.ok(text.includes('SNI'), text);
  assert.ok(text.includes('MQTT_HOST 203.0.113.7 is an IP address'), text);
});

test('anything else: the error itself and what to do next', () => {
  assert.match(line(failure('EWHATEVER', 'odd'), SETTINGS), /^Unexpected failure: EWHATEVER: odd\. Run again with MQTT_DEBUG=true/);
});

test('a failure is one line on standard error and exit code 1; MQTT_DEBUG=true adds the stack', (t) => {
  const written = [];
  t.mock.method(process.stderr, 'write', (text) => written.push(text));
  const quiet = report(failure(4), SETTINGS, {});
  const quietLines = written.join('').split('\n').filter(Boolean);
  written.length = 0;
  report(failure(4), SETTINGS, { MQTT_DEBUG: 'true' });
  t.mock.restoreAll();
  assert.equal(quiet, 1);
  assert.equal(quietLines.length, 1);
  assert.match(quietLines[0], /^ERROR: The broker refused the username or password/);
  assert.ok(written.join('').split('\n').length > 2, 'the stack trace follows');
});

test('why a connection dropped, for the "Connection lost" line', () => {
  assert.equal(reason(undefined), 'the server closed the connection');
  assert.equal(reason(failure('ECONNRESET', 'read ECONNRESET')), 'the server closed the connection');
  assert.equal(reason(new Error('Keepalive timeout')), 'Keepalive timeout');
});

// MQTT.js 5.16 rejects a refused subscription with the SUBACK (ErrorWithSubackPacket), no error code: as it does.
test('a rejected subscribe whose SUBACK refuses is a SubscriptionRefused; any other rejection stays as it is', () => {
  const refusal = Object.assign(new Error('Subscribe error: Unspecified error'),
    { packet: { cmd: 'suback', messageId: 1, granted: [0x80] } });
  const closed = new Error('client disconnecting');

  assert.ok(subscribeFailure(refusal) instanceof SubscriptionRefused);
  assert.match(line(subscribeFailure(refusal), SETTINGS), /refused the subscription .*ACL.*10 levels/);
  assert.equal(subscribeFailure(closed), closed);
});
