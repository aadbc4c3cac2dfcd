'use strict';
// The connection settings, read from MQTT_* environment variables and checked before anything connects.
// A missing or malformed one ends the run with a SettingsError naming the variable (exit code 2).

const crypto = require('node:crypto');
const fs = require('node:fs');

const DEFAULT_TLS_PORT = 8883;
// MQTT encodes a topic name's length in two bytes.
const MAX_TOPIC_BYTES = 65535;
// What a Serverless deployment allows one client to publish: 10 messages per second.
const DEFAULT_PUBLISH_RATE = 10;
const WHOLE_NUMBER = /^[0-9]+$/;

/** A missing or malformed setting: the message names the variable and what to put in it. */
class SettingsError extends Error {}

/**
 * Reads the settings from `env` (process.env). Without MQTT_CLIENT_ID the client id is `clientIdPrefix` and
 * 8 random hex digits, 23 characters at most: the MQTT 3.1.1 limit (and some deployments'), accepted everywhere.
 * The password is a non-enumerable property, so a logged settings object never shows it.
 */
function fromEnvironment(env, clientIdPrefix) {
  // The domain name alone: a pasted URL (scheme, port or path) is refused with what to set instead.
  const host = domainOnly(required(env, 'MQTT_HOST',
    "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com"));
  const port = portNumber(env);
  const username = required(env, 'MQTT_USERNAME', "a user from the deployment's Authentication page");
  const password = required(env, 'MQTT_PASSWORD', "that user's password");
  const caFile = optional(env, 'MQTT_CA_FILE');
  const ca = caFile === undefined ? undefined : readCaFile(caFile);
  const clientId = optional(env, 'MQTT_CLIENT_ID') ?? `${clientIdPrefix}-${crypto.randomBytes(4).toString('hex')}`;
  const topicSetting = optional(env, 'MQTT_TOPIC');
  const topic = topicSetting === undefined ? `serverless-examples/${clientId}` : checkTopic(topicSetting);
  const messages = messageCount(env);
  const publishRate = rate(env);
  const settings = { host, port, username, caFile, ca, topic, clientId, messages, publishRate };
  // Not enumerable: console.log(settings) and JSON.stringify(settings) do not show it.
  Object.defineProperty(settings, 'password', { value: password, enumerable: false });
  return settings;
}

/** What the example trusts, in words for the first line it prints. */
function trustDescription(settings) {
  return settings.caFile === undefined ? "Node.js's bundled CA store" : `MQTT_CA_FILE ${settings.caFile}`;
}

function required(env, name, hint) {
  const value = optional(env, name);
  if (value === undefined) {
    throw new SettingsError(`${name} is not set: export ${name}=<${hint}>`);
  }
  return value;
}

/** An empty value counts as not set. */
function optional(env, name) {
  const value = env[name] === undefined ? '' : String(env[name]).trim();
  return value === '' ? undefined : value;
}

/** MQTT_CA_FILE: a readable file holding at least one PEM certificate; a directory is named as such. */
function readCaFile(path) {
  let text;
  try {
    if (fs.statSync(path).isDirectory()) {
      throw new SettingsError(`MQTT_CA_FILE=${path} is a directory: give the path of the CA file itself`
        + " (emqxsl-ca.crt, PEM), or unset it to use Node.js's bundled CA store");
    }
    text = fs.readFileSync(path, 'latin1');
  } catch (error) {
    if (error instanceof SettingsError) {
      throw error;
    }
    throw new SettingsError(`MQTT_CA_FILE=${path} cannot be read: give the path of the deployment's CA file`
      + " (emqxsl-ca.crt, PEM), or unset it to use Node.js's bundled CA store");
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SettingsError(`MQTT_CA_FILE=${path} holds no PEM certificate: download the deployment's CA file`
      + ' (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE');
  }
  return text;
}

/**
 * MQTT_TOPIC is where the example publishes, so it must be a valid topic name: no wildcard (those are for
 * subscribing), no U+0000, at most 65535 bytes in UTF-8. The value is not echoed: it may be huge.
 */
function checkTopic(topic) {
  const bytes = Buffer.byteLength(topic, 'utf8');
  if (bytes > MAX_TOPIC_BYTES) {
    throw new SettingsError(`MQTT_TOPIC is ${bytes} bytes long in UTF-8, and MQTT allows at most ${MAX_TOPIC_BYTES}`
      + ': set a shorter topic, e.g. MQTT_TOPIC=serverless-examples/test, or unset it');
  }
  if (topic.includes('\0')) {
    throw new SettingsError('MQTT_TOPIC contains the character U+0000, which MQTT does not allow in a topic'
      + ': set a plain topic name, e.g. MQTT_TOPIC=serverless-examples/test, or unset it');
  }
  if (topic.includes('+') || topic.includes('#')) {
    throw new SettingsError(`MQTT_TOPIC contains the wildcard ${topic.includes('#') ? "'#'" : "'+'"}`
      + ': the example publishes to this topic, so it must be a plain topic name without + or #'
      + ', e.g. MQTT_TOPIC=serverless-examples/test (wildcards are for subscribing)');
  }
  return topic;
}

function portNumber(env) {
  const value = optional(env, 'MQTT_PORT') ?? String(DEFAULT_TLS_PORT);
  const port = WHOLE_NUMBER.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= 65535) {
    return port;
  }
  throw new SettingsError(`MQTT_PORT=${value} is not a port number`
    + ': Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)');
}

/** MQTT_MESSAGES: how many QoS 1 messages to send and receive back; 1 when not set. */
function messageCount(env) {
  const value = optional(env, 'MQTT_MESSAGES') ?? '1';
  const messages = WHOLE_NUMBER.test(value) ? Number(value) : NaN;
  if (messages >= 1 && messages <= 2147483647) {
    return messages;
  }
  throw new SettingsError(`MQTT_MESSAGES=${value} is not a positive whole number`
    + ': export MQTT_MESSAGES=<how many QoS 1 messages to send, e.g. 1000>, or unset it to send 1');
}

/**
 * MQTT_PUBLISH_RATE: at most this many messages per second (see publish-pace.js); 10 when not set, what a
 * Serverless deployment allows one client. 0 turns pacing off, for brokers without that quota.
 */
function rate(env) {
  const value = optional(env, 'MQTT_PUBLISH_RATE') ?? String(DEFAULT_PUBLISH_RATE);
  if (WHOLE_NUMBER.test(value) && Number(value) <= 2147483647) {
    return Number(value);
  }
  throw new SettingsError(`MQTT_PUBLISH_RATE=${value} is not a whole number of messages per second`
    + ': export MQTT_PUBLISH_RATE=10 (what a Serverless deployment allows one client), 0 to publish'
    + ' without pacing (a broker without that quota), or unset it for 10');
}

// MQTT_HOST takes the deployment's domain name alone. The console also shows it inside addresses such as
// mqtts://xxx.emqxsl.com:8883 and wss://xxx.emqxsl.com:8084/mqtt, and those get pasted. This check names what
// is extra and what to set instead, built only from the parts taken out of the value, never the value itself:
// a pasted URL may carry a user name and password (mqtts://user:secret@host).
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/;
const PORT = /^[0-9]{1,5}$/;
// An IPv6 address, bare or in brackets ("2001:db8::1", "[::1]"): no host name has two colons, and Serverless
// is never reached by address, only by its domain name.
const IPV6_ADDRESS = /^\[?[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\]]*)?\]?$/;

/** MQTT_HOST as given when it is a name alone; otherwise a SettingsError saying what to set. */
function domainOnly(value) {
  if (/\s/u.test(value)) {
    throw new SettingsError("MQTT_HOST contains a space: it takes the deployment's domain name alone"
      + ' (no scheme, port or path), e.g. xxxxxxxx.ala.us-east-1.emqxsl.com; copy it again from the'
      + ' console, without spaces');
  }
  if (IPV6_ADDRESS.test(value)) {
    throw new SettingsError("MQTT_HOST is an IPv6 address: Serverless is reached by the deployment's domain name,"
      + ' which the client sends as SNI and checks against the certificate; set MQTT_HOST to the address the'
      + ' console shows, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com');
  }
  const schemeMatch = SCHEME.exec(value);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : undefined;
  const rest = schemeMatch ? value.slice(schemeMatch[0].length) : value;
  const pathStart = rest.search(/[/?#]/);
  const authority = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1); // without user:password@
  const colon = portColon(hostAndPort);
  const host = colon < 0 ? hostAndPort : hostAndPort.slice(0, colon);
  const port = colon < 0 ? undefined : hostAndPort.slice(colon + 1);
  const userInfo = authority.includes('@');
  if (scheme === undefined && !userInfo && port === undefined && pathStart < 0) {
    return value;
  }
  throw new SettingsError(describePaste(scheme, userInfo, host, port, pathStart >= 0));
}

/** Where "host:port" splits: after a bracketed IPv6 address ("[::1]:8883"), or at the only colon. */
function portColon(hostAndPort) {
  if (hostAndPort.startsWith('[')) {
    return hostAndPort.indexOf(':', Math.max(hostAndPort.indexOf(']'), 0));
  }
  const colon = hostAndPort.indexOf(':');
  return colon === hostAndPort.lastIndexOf(':') ? colon : -1; // a bare IPv6 address has several (refused before)
}

function describePaste(scheme, userInfo, host, port, path) {
  const numericPort = port !== undefined && PORT.test(port);
  const extra = [];
  if (scheme !== undefined) {
    extra.push(`a scheme (${scheme}://)`);
  }
  if (userInfo) {
    extra.push("a user name before '@' (credentials go in MQTT_USERNAME and MQTT_PASSWORD)");
  }
  if (port !== undefined) {
    extra.push(numericPort ? `a port (${port})` : "a ':' after the name");
  }
  if (path) {
    extra.push('a path');
  }
  const last = extra.pop();
  const listed = extra.length > 0 ? `${extra.join(', ')} and ${last}` : last;
  return "MQTT_HOST takes the deployment's domain name alone (no scheme, port or path), but it has "
    + `${listed}: set ${DOMAIN.test(host) ? `MQTT_HOST=${host}` : 'MQTT_HOST to the address the console shows'}`
    + portAdvice(scheme, numericPort ? port : undefined);
}

/** MQTT_PORT for the port found, unless that port (or the scheme) is not MQTT over TLS. */
function portAdvice(scheme, port) {
  if (port === '8084') {
    return "; the port, MQTT_PORT=8084, is Serverless' MQTT over WebSocket port, and this example speaks"
      + ' MQTT over TLS: leave MQTT_PORT unset for 8883';
  }
  if (port === '1883' || port === '8083') {
    return `; the port, MQTT_PORT=${port}, is for plaintext MQTT, which Serverless does not offer:`
      + ' leave MQTT_PORT unset for 8883 (MQTT over TLS)';
  }
  if (port !== undefined) {
    return ` and MQTT_PORT=${port}${port === '8883' ? ' (the default, so MQTT_PORT can also stay unset)' : ''}`;
  }
  if (scheme === 'ws' || scheme === 'wss') {
    return `; ${scheme}:// is MQTT over WebSocket (port 8084), and this example speaks MQTT over TLS, on 8883`;
  }
  if (scheme === 'tcp' || scheme === 'mqtt') {
    return `; ${scheme}:// is plaintext MQTT, which Serverless does not offer: this example speaks`
      + ' MQTT over TLS, on 8883';
  }
  return '';
}

module.exports = { fromEnvironment, trustDescription, SettingsError, DEFAULT_PUBLISH_RATE };
