'use strict';
// Turns what went wrong into one line a newcomer can act on, following the Serverless troubleshooting order:
// address, port, TLS (trust, host name, SNI), credentials. The causes are Node.js's own error codes (OpenSSL's
// for TLS, libuv's for sockets) and MQTT.js's CONNACK return codes. MQTT_DEBUG=true adds the stack trace.

const net = require('node:net');
const { SettingsError } = require('./settings');
const { Stalled } = require('./round-trip');
const { UnansweredConnect } = require('./unanswered-connect');

// MQTT 3.1.1 CONNACK return codes (MQTT.js puts them in error.code).
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

/** The broker refused the subscription (SUBACK 0x80): the ACL, or Serverless' subscription quota. */
class SubscriptionRefused extends Error {}

/** The first connect did not finish within the bound (10 s). */
class ConnectTimeout extends Error {}

/**
 * What a rejected subscribeAsync means. MQTT.js (5.16) rejects a SUBACK that refuses with the SUBACK itself
 * (error.packet.granted holds 0x80) and no error code; any other rejection is passed on as it is.
 */
function subscribeFailure(error) {
  const granted = error && error.packet && error.packet.granted;
  return Array.isArray(granted) && granted.some((code) => code >= 0x80) ? new SubscriptionRefused(error.message) : error;
}

// OpenSSL's verification results, as Node.js names them in error.code.
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED', 'INVALID_CA']);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Prints the one-line error (and the stack trace with MQTT_DEBUG=true) and returns the exit code. */
function report(error, settings, env = process.env) {
  process.stderr.write(`ERROR: ${describe(error, settings)}\n`);
  if (String(env.MQTT_DEBUG).toLowerCase() === 'true') {
    process.stderr.write(`${error.stack}\n`);
  }
  return error instanceof SettingsError ? 2 : 1;
}

/** The line after "ERROR: ". `settings` is undefined when reading them failed. */
function describe(error, settings) {
  if (error instanceof SettingsError) {
    return error.message;
  }
  let line = describeConnectionFailure(error, settings);
  if (settings !== undefined && net.isIP(settings.host) !== 0) {
    line += ` MQTT_HOST ${settings.host} is an IP address: Serverless needs the deployment's domain name,`
      + ' which the client sends as SNI and checks against the certificate.';
  }
  return line;
}

/** Why a connection dropped, in a few words for the "Connection lost (...)" line. */
function reason(error) {
  if (error === undefined || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return 'the server closed the connection';
  }
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}

function describeConnectionFailure(error, settings) {
  const code = error.code;
  const message = String(error.message);
  if (error instanceof Stalled) {
    // Over the publish rate, Serverless drops a message but still acknowledges it to an MQTT 3.1.1 client.
    const rate = !error.notBack ? '' : ' Check also the publish rate: over 10 messages per second per'
      + ' client a Serverless deployment drops messages without telling an MQTT 3.1.1 client'
      + ' (MQTT_PUBLISH_RATE, default 10).';
    return `${message}. Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC, and, if the`
      + ' connection was lost, that the deployment is running (its status in the console).' + rate;
  }
  if (error instanceof SubscriptionRefused) {
    return 'The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure).'
      + " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization page),"
      + " and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic filter.";
  }
  if (code === IDENTIFIER_REJECTED) {
    const length = settings === undefined ? 0 : [...settings.clientId].length;
    return `The broker rejected the client id (MQTT_CLIENT_ID, ${length} characters). Use a shorter one:`
      + ' Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer works'
      + ' everywhere.';
  }
  if (code === BAD_USERNAME_OR_PASSWORD) {
    return 'The broker refused the username or password (CONNACK: bad user name or password).'
      + " Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page.";
  }
  if (code === NOT_AUTHORIZED) {
    return 'The broker refused the connection: not authorized (CONNACK).'
      + ' Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect.';
  }
  if (EXPIRED.has(code)) {
    return "The server's certificate has expired or is not yet valid."
      + " Check the machine's clock; if it is right, the server is not the deployment you meant.";
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return "The server's certificate does not match the host name in MQTT_HOST."
      + " Use the deployment's address exactly as the console shows it, not an IP address or a CNAME.";
  }
  if (UNTRUSTED.has(code)) {
    return "The server's certificate is not trusted by the CA in use."
      + " Set MQTT_CA_FILE to the deployment's emqxsl-ca.crt from the console, or unset it to use"
      + " Node.js's bundled CA store, which already trusts Serverless' DigiCert root.";
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') {
    return 'The host name in MQTT_HOST could not be resolved.'
      + " Check its spelling against the console and that this machine's DNS works.";
  }
  if (code === 'ECONNREFUSED') {
    return 'Could not reach the server: connection refused.'
      + ' Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084'
      + ' (MQTT over WebSocket with TLS); 1883 and 8083 are not offered.';
  }
  if (error instanceof UnansweredConnect) {
    // TLS completed, so the network is fine: pointing at it (the line below) would send the user astray.
    return 'The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within 10 s.'
      + ' Usually the deployment is starting or overloaded: check its status in the console and try again in a'
      + ' minute. If it lasts, something between this machine and the deployment (a proxy or load balancer) may'
      + " speak TLS but not MQTT: connect to the deployment's address and port 8883 directly.";
  }
  if (error instanceof ConnectTimeout || code === 'ETIMEDOUT' || message === 'connack timeout') {
    return 'The connection timed out.'
      + ' Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy'
      + ' lets this machine reach them (try: nc -vz HOST 8883).';
  }
  // A server that offers only TLS 1.0/1.1, or one that refuses every version offered (alert protocol_version).
  if (/unsupported protocol|protocol version|no protocols available/i.test(message)) {
    return 'The server and this client share no TLS version (the server offered only an old one, or'
      + ' refused the ones offered). Serverless speaks TLS 1.2 and 1.3: check that MQTT_HOST and'
      + ' MQTT_PORT are the deployment\'s, and that NODE_OPTIONS does not set --tls-min-v1.3 or --tls-max-v1.x.';
  }
  // What OpenSSL says when the first bytes back are not a TLS record.
  if (/wrong version number|packet length too long|record layer failure|http request/i.test(message)) {
    return 'The server did not answer with TLS: MQTT_PORT is not a TLS port.'
      + ' Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS).';
  }
  // Closed during the handshake: Node.js says "Client network socket disconnected before secure TLS
  // connection was established" (ECONNRESET), or the socket reset (ECONNRESET, EPIPE).
  if (code === 'ECONNRESET' || code === 'EPIPE' || /before secure TLS connection/.test(message)) {
    return 'The server closed the connection during the TLS handshake.'
      + " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
      + ' that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883).';
  }
  return `Unexpected failure: ${code === undefined ? '' : `${code}: `}${message}.`
    + ' Run again with MQTT_DEBUG=true for the stack trace, and include it in a support ticket'
    + ' (with the deployment, client type and version, and your code without the password).';
}

module.exports = { report, describe, reason, subscribeFailure, SubscriptionRefused, ConnectTimeout };
