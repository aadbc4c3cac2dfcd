'use strict';
// MQTT.js (MQTT 3.1.1) over TLS to EMQX Cloud Serverless: connect, subscribe, publish MQTT_MESSAGES messages at
// QoS 1, wait for every one to come back, disconnect; and survive a dropped connection on the way.
//
// Configure with MQTT_HOST, MQTT_USERNAME, MQTT_PASSWORD and optionally MQTT_PORT (8883), MQTT_CA_FILE,
// MQTT_TOPIC, MQTT_CLIENT_ID, MQTT_MESSAGES (1), MQTT_PUBLISH_RATE (10 per second). See README.md.

const net = require('node:net');
const mqtt = require('mqtt');
const { fromEnvironment, trustDescription } = require('./lib/settings');
const { report, reason, subscribeFailure, SubscriptionRefused, ConnectTimeout } = require('./lib/failures');
const { RoundTrip, windowFor } = require('./lib/round-trip');
const { PublishPace } = require('./lib/publish-pace');
const { watchTls } = require('./lib/unanswered-connect');

const TIMEOUT_MS = 10_000;
// At most this many messages unfinished (sent, but not yet both acknowledged and back) at a time.
const WINDOW = 100;

async function main() {
  let settings;
  try {
    settings = fromEnvironment(process.env, 'node');
    await run(settings);
  } catch (error) {
    process.exitCode = report(error, settings);
    // Should anything still hold the process open, end it; normally it has already ended by itself.
    setTimeout(() => process.exit(), 2000).unref();
  }
}

async function run(settings) {
  // 1. Address: MQTT over TLS (mqtts://). Serverless has no plaintext port.
  console.log(`Connecting to ssl://${settings.host}:${settings.port} as ${settings.username}`
    + ` (trust: ${trustDescription(settings)})`);

  // [START tls_options]
  // 2. Connect options: credentials (Serverless has no anonymous access) and TLS.
  const options = {
    protocol: 'mqtts',
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    // The CAs that may sign the server's chain: MQTT_CA_FILE's when it is set (then only those), else
    // undefined, which means Node.js's bundled CA store; that one already trusts Serverless' DigiCert root.
    ca: settings.ca,
    // Refuse a server whose chain is not trusted or whose certificate is not for MQTT_HOST. It is the
    // default; said here so that nobody copies a version with it off.
    rejectUnauthorized: true,
    // SNI: the deployment's domain, which Serverless requires to route the connection. Node.js sends no IP
    // address as SNI (RFC 6066), so an IP address goes without, and Serverless refuses it.
    servername: net.isIP(settings.host) === 0 ? settings.host : undefined,
  };
  // [END tls_options]
  options.connectTimeout = TIMEOUT_MS;

  // [START session]
  // 3. A session that outlives the connection: while this client is away the broker keeps its subscription
  //    and queues its QoS 1 messages; MQTT.js keeps the messages that have no PUBACK yet, and those published
  //    while the connection is down, and sends them after the reconnect (every second, MQTT.js's own).
  //    resubscribe: MQTT.js subscribes again when the CONNACK says the broker no longer has the session.
  //    reconnectOnConnackError: MQTT.js also tries again after a reconnect's CONNACK refused it (a deployment
  //    that is still starting may answer "server unavailable"); by default it would give up for good.
  options.protocolVersion = 4; // MQTT 3.1.1
  options.clientId = settings.clientId;
  options.clean = false;
  options.reconnectPeriod = 1000;
  options.resubscribe = true;
  options.reconnectOnConnackError = true;
  // [END session]

  // Counts PUBACKs and returning messages, and keeps the window (lib/round-trip.js).
  const roundTrip = new RoundTrip(settings.clientId, settings.messages);
  const client = mqtt.connect(options);
  try {
    await firstConnect(client);
    console.log(`Connected with client id ${settings.clientId}`);
    reportReconnects(client);
    client.on('message', (topic, payload) => roundTrip.receive(payload.toString('utf8')));

    // 4. Subscribe first, so our own messages come back to us. The broker refuses with SUBACK 0x80 (the ACL,
    //    or Serverless' subscription quota).
    const granted = await within(client.subscribeAsync(settings.topic, { qos: 1 }).catch((error) => {
      throw subscribeFailure(error);
    }), 'the SUBACK');
    if (granted.length === 0 || granted[0].qos === 0x80) {
      throw new SubscriptionRefused('SUBACK 0x80');
    }
    console.log(`Subscribed to ${settings.topic} at QoS 1`);

    // [START publish_loop]
    // 5. Publish at QoS 1 without waiting for each PUBACK, but with at most WINDOW messages unfinished, and
    //    at most MQTT_PUBLISH_RATE messages per second: over 10 per second, Serverless drops an MQTT 3.1.1
    //    client's messages without a word (the PUBACK looks normal), so the pace is kept here.
    const pace = new PublishPace(settings.publishRate);
    // Paced, half a second's worth unfinished at most: a reconnect resends them all at once, then the next.
    const window = windowFor(WINDOW, settings.publishRate);
    for (let i = 1; i <= settings.messages; i++) {
      await roundTrip.awaitRoom(window);
      await pace.awaitTurn();
      // The callback runs on the PUBACK, also when that comes after a reconnect. While the connection is
      // down, MQTT.js keeps the message and sends it after the reconnect.
      client.publish(settings.topic, roundTrip.payload(i), { qos: 1 }, (error) => {
        if (!error) {
          roundTrip.acknowledge(i);
        }
      });
    }
    // [END publish_loop]
    await roundTrip.awaitAllAcknowledged();
    console.log(`Published ${settings.messages}/${settings.messages} messages to ${settings.topic} at QoS 1`);

    // 6. Wait for every message to come back; the wait ends in an error once nothing new arrives for 20 s.
    await roundTrip.awaitAllReceived();
    console.log(`Received ${settings.messages}/${settings.messages} messages on ${settings.topic}`
      + ` (${roundTrip.duplicates} duplicates)`);

    // 7. Done: DISCONNECT, and no reconnect from here on. MQTT 3.1.1 cannot end the session in the DISCONNECT:
    //    the broker drops it after its own expiry for MQTT 3.1.1 sessions (EMQX: 2 hours by default).
    await within(client.endAsync(), 'the DISCONNECT');
    console.log('Disconnected');
  } finally {
    if (!client.disconnected) {
      client.end(true); // after a failure: close at once, no reconnect
    }
  }
}

/**
 * The first connect: resolves on the CONNACK that accepts us, rejects with the first error (TLS, socket,
 * CONNACK refusal) or after 10 s. Only the first connect ends the run like this; later drops are reconnected.
 */
function firstConnect(client) {
  return new Promise((resolve, reject) => {
    const done = (error) => {
      clearTimeout(timer);
      client.removeListener('connect', onConnect);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      if (error) {
        client.end(true); // MQTT.js would otherwise retry every second
        reject(error);
      } else {
        resolve();
      }
    };
    // A timeout once TLS has completed is a CONNECT the server never answered, not the network.
    const afterTls = watchTls(client);
    const onConnect = () => done();
    const onError = (error) => done(error.message === 'connack timeout' ? afterTls(error) : error);
    // Closed before the CONNACK without an error: reported like a handshake the server closed.
    const onClose = () => done(Object.assign(new Error('the server closed the connection before its CONNACK'),
      { code: 'ECONNRESET' }));
    const timer = setTimeout(() => done(afterTls(new ConnectTimeout(`no CONNACK within ${TIMEOUT_MS / 1000} s`))),
      TIMEOUT_MS);
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}

// [START reconnect]
/** Says when the connection drops and when it is back; MQTT.js itself reconnects, resends and resubscribes. */
function reportReconnects(client) {
  let lastError;
  client.on('error', (error) => {
    lastError = error; // while reconnecting: each failed attempt's error (e.g. connection refused)
  });
  client.on('offline', () => {
    console.log(`Connection lost (${reason(lastError)}); reconnecting`);
    lastError = undefined;
  });
  client.on('connect', (connack) => {
    console.log(`Reconnected (session present: ${connack.sessionPresent})`);
  });
}
// [END reconnect]

/** `promise`, or a "timed out" error when it has not settled within 10 s. */
function within(promise, what) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout(`no ${what} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

main();
