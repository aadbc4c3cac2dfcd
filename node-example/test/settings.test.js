'use strict';
// The settings users get wrong, each refused before anything connects, with the line the harness checks.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fromEnvironment, SettingsError } = require('../lib/settings');
const failures = require('../lib/failures');

const REQUIRED = { MQTT_HOST: 'xxxxxxxx.ala.us-east-1.emqxsl.com', MQTT_USERNAME: 'demo', MQTT_PASSWORD: 'secret' };

function refusal(env) {
  let error;
  assert.throws(() => fromEnvironment({ ...REQUIRED, ...env }, 'node'), (e) => {
    error = e;
    return e instanceof SettingsError;
  });
  return error.message;
}

test('defaults: port 8883, one message at 10 a second, a client id of at most 23 characters', () => {
  const settings = fromEnvironment(REQUIRED, 'node');
  assert.equal(settings.port, 8883);
  assert.equal(settings.messages, 1);
  assert.equal(settings.publishRate, 10);
  assert.match(settings.clientId, /^node-[0-9a-f]{8}$/);
  assert.ok(settings.clientId.length <= 23);
  assert.equal(settings.topic, `serverless-examples/${settings.clientId}`);
  assert.equal(settings.ca, undefined);
});

test('the password is never part of the printed settings', () => {
  const settings = fromEnvironment(REQUIRED, 'node');
  assert.equal(settings.password, 'secret');
  assert.ok(!JSON.stringify(settings).includes('secret'));
  assert.ok(!require('node:util').inspect(settings).includes('secret'));
});

test('an empty value counts as not set', () => {
  assert.match(refusal({ MQTT_HOST: '  ' }), /^MQTT_HOST is not set/);
  assert.equal(fromEnvironment({ ...REQUIRED, MQTT_PORT: '' }, 'node').port, 8883);
});

test('each missing required variable is named', () => {
  for (const name of Object.keys(REQUIRED)) {
    assert.match(refusal({ [name]: undefined }), new RegExp(`^${name} is not set: export ${name}=`));
  }
});

test('a URL pasted into MQTT_HOST says which MQTT_HOST and MQTT_PORT to set, without repeating it', () => {
  const line = refusal({ MQTT_HOST: 'mqtts://user:pa55word@abc.emqxsl.com:8883/x' });
  assert.ok(line.includes('MQTT_HOST=abc.emqxsl.com'), line);
  assert.ok(line.includes('MQTT_PORT=8883'), line);
  assert.ok(!line.includes('pa55word') && !line.includes('mqtts://user'), line);
  assert.ok(refusal({ MQTT_HOST: 'abc.emqxsl.com:8883' }).includes('MQTT_HOST=abc.emqxsl.com and MQTT_PORT=8883'));
  assert.match(refusal({ MQTT_HOST: 'wss://abc.emqxsl.com:8084/mqtt' }), /MQTT_HOST=abc.emqxsl.com; the port, MQTT_PORT=8084/);
  assert.match(refusal({ MQTT_HOST: 'abc .emqxsl.com' }), /^MQTT_HOST contains a space/);
});

test('an IPv6 address, bare or in brackets, is refused; with a port it is a paste', () => {
  assert.match(refusal({ MQTT_HOST: '2001:db8::1' }), /^MQTT_HOST is an IPv6 address: .*domain name/);
  assert.match(refusal({ MQTT_HOST: '[::1]' }), /^MQTT_HOST is an IPv6 address/);
  assert.match(refusal({ MQTT_HOST: 'fe80::1%eth0' }), /^MQTT_HOST is an IPv6 address/);
  assert.match(refusal({ MQTT_HOST: '[::1]:8883' }), /a port \(8883\)/);
  assert.equal(fromEnvironment({ ...REQUIRED, MQTT_HOST: 'cafe.emqxsl.com' }, 'node').host, 'cafe.emqxsl.com');
});

test('MQTT_TOPIC: a wildcard, U+0000 or more than 65535 bytes', () => {
  assert.match(refusal({ MQTT_TOPIC: 'a/+/b' }), /^MQTT_TOPIC contains the wildcard '\+'/);
  assert.match(refusal({ MQTT_TOPIC: 'a/#' }), /^MQTT_TOPIC contains the wildcard '#'.*wildcards are for subscribing/);
  assert.match(refusal({ MQTT_TOPIC: 'a\0b' }), /U\+0000/);
  assert.match(refusal({ MQTT_TOPIC: 'é'.repeat(40000) }), /^MQTT_TOPIC is 80000 bytes long in UTF-8, and MQTT allows at most 65535/);
});

test('MQTT_CA_FILE: a directory, a missing file, a file without a certificate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-example-'));
  const notPem = path.join(dir, 'not.pem');
  fs.writeFileSync(notPem, 'hello');
  assert.match(refusal({ MQTT_CA_FILE: dir }), /^MQTT_CA_FILE=.* is a directory/);
  assert.match(refusal({ MQTT_CA_FILE: path.join(dir, 'missing.crt') }), /^MQTT_CA_FILE=.* cannot be read/);
  assert.match(refusal({ MQTT_CA_FILE: notPem }), /^MQTT_CA_FILE=.* holds no PEM certificate/);
  fs.rmSync(dir, { recursive: true });
});

test('numbers: port, MQTT_MESSAGES and MQTT_PUBLISH_RATE are whole numbers in range', () => {
  for (const port of ['0', '65536', 'abc', '88.83', '-1']) {
    assert.match(refusal({ MQTT_PORT: port }), /^MQTT_PORT=.* is not a port number/);
  }
  for (const messages of ['0', '-5', '1.5', 'ten']) {
    assert.match(refusal({ MQTT_MESSAGES: messages }), /^MQTT_MESSAGES=.* is not a positive whole number/);
  }
  for (const rate of ['+5', '-0', '1.5', '10/s']) {
    assert.match(refusal({ MQTT_PUBLISH_RATE: rate }), /^MQTT_PUBLISH_RATE=.* is not a whole number/);
  }
  assert.equal(fromEnvironment({ ...REQUIRED, MQTT_PUBLISH_RATE: '0' }, 'node').publishRate, 0);
});

test('a settings error is one line on standard error and exit code 2', (t) => {
  const written = [];
  t.mock.method(process.stderr, 'write', (text) => written.push(text));
  const exitCode = failures.report(new SettingsError('MQTT_HOST is not set: export MQTT_HOST=<...>'), undefined, {});
  t.mock.restoreAll();
  assert.equal(exitCode, 2);
  assert.deepEqual(written, ['ERROR: MQTT_HOST is not set: export MQTT_HOST=<...>\n']);
});
