'use strict';
// MQTT.js (MQTT 3.1.1) to EMQX Cloud Serverless over TLS, in one file to copy whole: connect, subscribe,
// publish one QoS 1 message, receive it back, disconnect.
//
// Set MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD, and optionally MQTT_PORT (8883) and MQTT_CA_FILE (the
// console's emqxsl-ca.crt; without it Node.js's bundled CA store, which already trusts Serverless' DigiCert root).

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const mqtt = require('mqtt');

const TIMEOUT_MS = 10_000; // every wait below ends after 10 s at most

async function main() {
  try {
    await run();
  } catch (error) {
    // One line with the library's own words; the stack trace only when asked for.
    console.error(`ERROR: ${oneLine(error)}`);
    if (process.env.MQTT_DEBUG === 'true') {
      console.error(error);
    }
    process.exitCode = 1;
    setTimeout(() => process.exit(), 2000).unref(); // should anything still hold the process open
  }
}

async function run() {
  const [host, username, password] = ['MQTT_HOST', 'MQTT_USERNAME', 'MQTT_PASSWORD'].map(required);
  const port = variable('MQTT_PORT') ?? '8883';
  const caFile = variable('MQTT_CA_FILE');
  const clientId = `mqttjs-${crypto.randomBytes(4).toString('hex')}`;
  const topic = `serverless-examples/${clientId}`;

  // "ssl://", MQTT.js's "mqtts://": MQTT over TLS. Serverless offers no plaintext port.
  console.log(`Connecting to ssl://${host}:${port} as ${username} (trust: `
    + `${caFile === undefined ? "Node.js's bundled CA store" : `MQTT_CA_FILE ${caFile}`})`);
  const client = mqtt.connect(`mqtts://${host}:${port}`, {
    username, // Serverless has no anonymous access
    password,
    clientId,
    protocolVersion: 4, // MQTT 3.1.1
    // Only the certificates in MQTT_CA_FILE, or (undefined) Node.js's bundled CA store.
    ca: caFile === undefined ? undefined : fs.readFileSync(caFile),
    // Refuse a server whose chain Node.js does not trust or whose certificate is not for servername (for
    // MQTT_HOST itself when that is an IP address). Node.js's default; said here so that it stays on.
    rejectUnauthorized: true,
    // The name sent as SNI, and the one the certificate must be for. Serverless needs the SNI: it serves many
    // deployments on one address and refuses a handshake without the deployment's name. That is why MQTT_HOST
    // is the console's domain name, never an IP address (which Node.js does not send as SNI, RFC 6066).
    servername: net.isIP(host) === 0 ? host : undefined,
    reconnectPeriod: 0, // no reconnect: MQTT.js would otherwise retry a failed connect forever
  });
  // Any error, or a close that we did not ask for, ends the run, whichever step it comes in.
  const failed = new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('close', () => client.disconnecting || reject(new Error('the server closed the connection')));
  });
  // Each step: its promise, unless an error comes first, or 10 s go by.
  const step = (promise, what) => {
    let timer;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${what} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    });
    return Promise.race([promise, failed, timeout]).finally(() => clearTimeout(timer));
  };
  try {
    await step(new Promise((resolve) => client.once('connect', resolve)), 'CONNACK');
    console.log(`Connected with client id ${clientId}`);

    // Subscribe before publishing, so that our own message comes back to us.
    const payload = `Hello from ${clientId} #1`;
    const received = new Promise((resolve) => {
      client.on('message', (_topic, message) => message.toString('utf8') === payload && resolve());
    });
    await step(client.subscribeAsync(topic, { qos: 1 }), 'SUBACK'); // rejects on a refusal (0x80)
    console.log(`Subscribed to ${topic} at QoS 1`);

    await step(client.publishAsync(topic, payload, { qos: 1 }), 'PUBACK'); // resolves on the broker's PUBACK
    console.log(`Published 1/1 messages to ${topic} at QoS 1`);

    await step(received, 'message back');
    console.log(`Received 1/1 messages on ${topic} (0 duplicates)`);
    await step(client.endAsync(), 'DISCONNECT');
    console.log('Disconnected');
  } finally {
    client.end(true); // after a failure: close at once
  }
}

function required(name) {
  if (variable(name) === undefined) {
    throw new Error(`${name} is not set: see README.md for what to export`);
  }
  return variable(name);
}

/** An environment variable, or undefined when it is not set or empty. */
function variable(name) {
  return process.env[name] ? process.env[name] : undefined;
}

/** The messages of the error, its causes and (AggregateError) its errors: one line. */
function oneLine(error) {
  const messages = [];
  for (let e = error; e; e = e.cause) {
    messages.push(e.message || e.code || String(e), ...(e.errors ?? []).map((inner) => inner.message));
  }
  return messages.filter(Boolean).join(': ').replace(/\s+/g, ' ').trim();
}

main();

// What example.js, in this folder, adds, and when you need it:
// - a dropped connection (Serverless restarts, networks fail): a kept session, reconnect, nothing lost;
// - more than 10 messages a second: Serverless drops the excess of an MQTT 3.1.1 client unseen, so it paces itself;
// - errors that say what to check (wrong port, SNI, CA file, credentials), and settings checked before connecting.
