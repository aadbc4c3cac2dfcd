// browser-example: one QoS 1 round trip over MQTT over secure WebSocket from a web page, with mqtt.js 5.16.0
// (MQTT 5). The same skeleton as the Java examples: settings → connect → subscribe → publish → wait for the
// message → disconnect, each step a line on the page, and a failure one line saying what to check.
//
// TLS is the browser's own: it verifies the server against its (or the OS's) trust store, checks the host
// name and sends it as SNI. A page cannot add a CA file, cannot turn those checks off, and cannot see why a
// WebSocket failed (README.md, "What a browser can and cannot do").
import mqtt from './vendor/mqtt.esm.js';

const CONNECT_TIMEOUT_MS = 10_000; // the first CONNACK, as every example: 10 s
const ROUND_TRIP_TIMEOUT_MS = 20_000; // the message back
const PROBE_TIMEOUT_MS = 2_000; // the HTTPS request that tells a wrong path from an unreachable server
const SESSION_EXPIRY_S = 300; // the session outlives a dropped connection for 5 minutes
/** The refusals a PUBACK or SUBACK may carry, MQTT 5 reason codes of 0x80 or more (OASIS MQTT 5.0, 3.4.2.1 and 3.9.3). */
const REFUSALS = {
  0x80: 'unspecified error', 0x83: 'implementation specific error', 0x87: 'not authorized',
  0x8f: 'topic filter invalid', 0x90: 'topic name invalid', 0x91: 'packet identifier in use', 0x97: 'quota exceeded',
  0x99: 'payload format invalid', 0x9e: 'shared subscriptions not supported',
  0xa1: 'subscription identifiers not supported', 0xa2: 'wildcard subscriptions not supported',
};

const form = document.getElementById('settings');
const run = document.getElementById('run');
const steps = document.getElementById('steps');
const messageLine = document.getElementById('message');
const errorLine = document.getElementById('error');

/** A failure the page shows as one line: `kind` goes into #error's data-error, for tests and styling. */
class Failure extends Error {
  constructor(kind, line) {
    super(line);
    this.kind = kind;
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (run.dataset.state === 'running') {
    return;
  }
  start();
  try {
    await roundTrip(readSettings(new FormData(form)));
    run.dataset.state = 'passed';
  } catch (error) {
    fail(error instanceof Failure ? error
      : new Failure('unexpected', `Unexpected error: ${error && error.message}. Open the browser's console for details`));
  }
});

// 1. Settings: from the form, checked before anything connects. Nothing is stored; the password is never shown.
function readSettings(data) {
  const value = (name) => String(data.get(name) || '').trim();
  const host = value('host');
  if (!host) {
    throw new Failure('setting', 'Host is not set. Enter the deployment\'s address from the console (Overview), e.g. xxxxxxxx.ala.us-east-1.emqxsl.com');
  }
  const pasted = host.match(/^(?:[a-z]+:\/\/)?([^/:\s]+)(?::(\d+))?/i);
  if (/[\s/:]/.test(host) && pasted) {
    // A URL or host:port pasted whole. Not repeated back, since a URL may carry a password.
    throw new Failure('setting', `Host must be the domain only: Host=${pasted[1]}`
      + (pasted[2] ? ` and Port=${pasted[2]}` : '') + ' (the path goes into Path)');
  }
  const port = Number(value('port') || '8084');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Failure('setting', 'Port must be a port number: 8084 for MQTT over WebSocket over TLS');
  }
  const path = value('path') || '/mqtt';
  if (!path.startsWith('/')) {
    throw new Failure('setting', 'Path must start with /: /mqtt on Serverless');
  }
  const username = value('username');
  if (!username) {
    throw new Failure('setting', 'Username is not set. Enter a user from the deployment\'s Authentication page');
  }
  const password = String(data.get('password') || '');
  if (!password) {
    throw new Failure('setting', 'Password is not set. Enter that user\'s password');
  }
  const clientId = value('clientId') || `browser-${randomHex(4)}`; // 16 characters: within 23, accepted everywhere
  const topic = value('topic') || `serverless-examples/${clientId}`;
  if (/[+#]/.test(topic)) {
    throw new Failure('setting', 'Topic must not contain the wildcards + or #: the page publishes to it');
  }
  return { host, port, path, username, password, clientId, topic };
}

async function roundTrip(settings) {
  const url = `wss://${settings.host}:${settings.port}${settings.path}`;
  step('connecting', `Connecting to ${url} as ${settings.username} (trust: the browser's trust store)`);

  // 2. Connect. MQTT 5, a session kept for SESSION_EXPIRY_S after a drop (clean start off). No automatic
  //    reconnect until the first CONNACK, so that a wrong password or path ends the run with its reason.
  //    createWebsocket is mqtt.js's own hook: the page keeps the socket to tell whether the upgrade happened.
  // [START connect]
  let socket;
  const client = mqtt.connect(url, {
    protocolVersion: 5,
    clientId: settings.clientId,
    username: settings.username,
    password: settings.password,
    clean: false,
    properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectPeriod: 0,
    createWebsocket: (address, protocols) => {
      socket = watch(new WebSocket(address, protocols));
      return socket;
    },
  });
  // [END connect]
  try {
    await firstConnack(client, () => socket, settings);
    step('connected', `Connected with client id ${settings.clientId}`);
    keepConnected(client);

    // 3. Subscribe at QoS 1. A SUBACK reason code of 0x80 or more is a refusal: on Serverless the ACL as often as
    //    its subscription quota (10 subscriptions per client, 10 levels per topic filter).
    const received = nextMessage(client, settings.topic);
    const suback = await subscribe(client, settings.topic);
    if (suback >= 0x80) {
      throw new Failure('subscribe-refused', `The broker refused the subscription to ${settings.topic} `
        + `(SUBACK ${named(suback)}). Check that the user's ACL allows it to subscribe to this topic (the `
        + 'deployment\'s Authorization page), and Serverless\' subscription quota: at most 10 subscriptions per client '
        + 'and 10 levels per topic filter');
    }
    step('subscribed', `Subscribed to ${settings.topic} at QoS 1`);

    // 4. Publish at QoS 1: the promise settles with the PUBACK; a reason code of 0x80 or more rejects it
    //    (0x87 the ACL, 0x97 more than Serverless' 10 messages per second from one client), and the line says which.
    const payload = `Hello from ${settings.clientId} #1`;
    try {
      await client.publishAsync(settings.topic, payload, { qos: 1 });
    } catch (error) {
      throw publishFailure(error);
    }
    step('published', `Published 1/1 messages to ${settings.topic} at QoS 1`);

    // 5. Wait for the message to come back through the subscription, at most ROUND_TRIP_TIMEOUT_MS.
    const message = await within(received, ROUND_TRIP_TIMEOUT_MS, () => new Failure('did-not-come-back',
      `1 of 1 messages did not come back within ${ROUND_TRIP_TIMEOUT_MS / 1000} s. Check that the user's ACL allows `
      + 'it to publish and subscribe on the topic, and that the deployment is running (its status in the console)'));
    step('received', `Received 1/1 messages on ${settings.topic} (0 duplicates)`);
    messageLine.textContent = `Message back: ${message}`;
    messageLine.hidden = false;

    // 6. Disconnect, with a session expiry of 0 so that the broker keeps nothing for this client.
    await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
    step('disconnected', 'Disconnected');
  } finally {
    client.end(true); // after a failure: close at once, no reconnect (nothing happens if already ended)
  }
}

/**
 * Subscribes to `topic` at QoS 1 and resolves with the SUBACK's code: the granted QoS, or a refusal (0x80 or more).
 * mqtt.js (5.16) rejects a refusal, with the SUBACK itself (error.packet.granted) and no code of its own.
 */
async function subscribe(client, topic) {
  try {
    const [grant] = await client.subscribeAsync(topic, { qos: 1 });
    return grant.qos;
  } catch (error) {
    const granted = error && error.packet && error.packet.granted;
    if (Array.isArray(granted) && granted[0] >= 0x80) {
      return granted[0];
    }
    throw error;
  }
}

/** Resolves with the CONNACK; rejects with the one line for whatever ended the first connect. */
function firstConnack(client, currentSocket, settings) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome) => (value) => {
      if (!settled) { // the first reason stays: a refused CONNACK is followed by a close
        settled = true;
        client.off('connect', onConnect).off('error', onError).off('close', onClose);
        outcome(value);
      }
    };
    const onConnect = settle(resolve);
    const onError = (error) => settle(reject)(connectFailure(error, settings));
    const onClose = () => {
      const socket = currentSocket();
      if (socket && socket.upgraded) {
        settle(reject)(new Failure('closed-before-connack', 'The broker closed the connection before answering the '
          + `CONNECT (WebSocket close code ${socket.closeCode}). Check that Path is /mqtt and that the deployment is running`));
      } else {
        const closeCode = socket ? socket.closeCode : 1006;
        settled = true; // nothing else may win while the page asks once more
        client.off('connect', onConnect).off('error', onError).off('close', onClose);
        closedBeforeUpgrade(settings, closeCode).then(reject);
      }
    };
    client.on('connect', onConnect).on('error', onError).on('close', onClose);
  });
}

/** CONNACK refusals (MQTT 5 reason codes; MQTT 3.1.1 return codes in brackets) and mqtt.js's own errors. */
function connectFailure(error, settings) {
  switch (error.code) {
    case 0x86: case 4:
      return new Failure('username-or-password', 'The broker refused the username or password (CONNACK 0x86). '
        + 'Check Username and Password against the deployment\'s Authentication page');
    case 0x87: case 5:
      return new Failure('not-authorized', 'The broker answered not authorized (CONNACK 0x87). Check that the user '
        + 'exists on this deployment and what its ACL allows');
    case 0x85: case 2:
      return new Failure('client-id', `The broker rejected the client id (${settings.clientId.length} characters). `
        + 'Use a shorter one: 23 characters or fewer works on every deployment');
    default:
      if (error.message === 'connack timeout') {
        return new Failure('timed-out', `No answer to the CONNECT within ${CONNECT_TIMEOUT_MS / 1000} s: the connection `
          + 'timed out. Check Host, Port (8084) and that a firewall lets this browser reach the port');
      }
      return new Failure('connect-refused', `The broker refused the connection: ${error.message}. Check the deployment's `
        + 'status in the console');
  }
}

/**
 * The WebSocket closed before its upgrade: a browser does not say why (the close code is 1006 for a refused
 * connection, a certificate it does not trust, or an HTTP status such as 404; only its console shows the
 * reason). One more request tells two cases apart: an HTTPS request to the same address either gets an
 * answer (opaque to the page, whatever its status) or fails as a network error. An answer means the server
 * speaks HTTPS and refused only the WebSocket upgrade: the path is wrong (Serverless and EMQX answer 404).
 */
async function closedBeforeUpgrade(settings, closeCode) {
  const url = `https://${settings.host}:${settings.port}${settings.path}`;
  const opened = `The WebSocket closed before the upgrade (close code ${closeCode})`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
  // [START probe]
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal: abort.signal });
    return new Failure('wrong-path', `${opened}, but the server answers HTTPS: it refused the WebSocket upgrade on `
      + `${settings.path}, as Serverless answers a wrong WebSocket path (HTTP 404; the browser's console shows the `
      + 'status). Check Path: /mqtt');
  } catch {
    return new Failure('socket-closed-before-upgrade', `${opened}: the connection was refused or closed, or the `
      + 'browser does not trust the server\'s certificate (its console says which). Check Host (the deployment\'s '
      + 'domain from the console, not an IP address or a CNAME), Port (8084), and that this browser or the OS '
      + 'trusts the certificate\'s CA');
  } finally {
    clearTimeout(timer);
  }
  // [END probe]
}

/** The PUBACK's refusal, by its reason code, with what to check for it on Serverless. */
function publishFailure(error) {
  if (typeof error.code !== 'number' || error.code < 0x80) {
    return new Failure('publish-refused', `The broker refused the message: ${error.message}`);
  }
  const refused = `The broker refused the message with reason code ${named(error.code, true)}`;
  switch (error.code) {
    case 0x97:
      return new Failure('quota-exceeded', `${refused}: a Serverless deployment allows one client 10 messages per second`);
    case 0x87:
      return new Failure('publish-refused', `${refused}: the user's ACL does not allow publishing on this topic. `
        + 'Check the deployment\'s Authorization page, or enter a Topic the user may publish on');
    case 0x90:
      return new Failure('publish-refused', `${refused}: it does not take this topic to publish on. Check Topic: a `
        + 'plain topic name such as serverless-examples/test, not one that starts with $ (the broker\'s own)');
    case 0x99:
      return new Failure('publish-refused', `${refused}: it did not take the message's payload. Check what the `
        + 'deployment validates on this topic (its rules or message validation)');
    case 0x80:
      return new Failure('publish-refused', `${refused}, without saying why. Check the deployment's status in the `
        + 'console, and that the user\'s ACL allows publishing on this topic (the deployment\'s Authorization page)');
    default:
      return new Failure('publish-refused', `${refused}. Check the deployment's status in the console, and give this `
        + 'reason code in a support ticket');
  }
}

/** "0x8F topic filter invalid", or with `bracketed` "0x87 (not authorized)": a reason code and its name. */
function named(code, bracketed = false) {
  const name = REFUSALS[code] || 'not in MQTT 5\'s list';
  const hex = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return bracketed ? `${hex} (${name})` : `${hex} ${name}`;
}

/**
 * After the first CONNACK: reconnect every second if the connection drops. The session (clean start off)
 * keeps the subscription and the QoS 1 messages in flight; mqtt.js keeps unacknowledged messages and sends
 * them again, and subscribes again by itself when the broker lost the session.
 */
function keepConnected(client) {
  client.options.reconnectPeriod = 1000;
  let connected = true;
  client.on('close', () => {
    if (connected && !client.disconnecting) {
      connected = false;
      step('lost', 'Connection lost (connection closed); reconnecting');
    }
  });
  client.on('connect', (connack) => {
    connected = true;
    step('reconnected', `Reconnected (session present: ${connack.sessionPresent})`);
  });
}

/** The first message on `topic`, as text. */
function nextMessage(client, topic) {
  return new Promise((resolve) => {
    client.on('message', (messageTopic, payload) => {
      if (messageTopic === topic) {
        resolve(new TextDecoder().decode(payload));
      }
    });
  });
}

/** Marks a WebSocket with whether its upgrade happened and how it closed. */
function watch(socket) {
  socket.upgraded = false;
  socket.closeCode = null;
  socket.addEventListener('open', () => { socket.upgraded = true; });
  socket.addEventListener('close', (event) => { socket.closeCode = event.code; });
  return socket;
}

function within(promise, ms, failure) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(failure()), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let startedAt = 0;

function start() {
  startedAt = performance.now();
  steps.replaceChildren();
  messageLine.hidden = true;
  errorLine.hidden = true;
  errorLine.textContent = '';
  delete errorLine.dataset.error;
  delete errorLine.dataset.ms;
  run.dataset.state = 'running';
}

function step(name, text) {
  const item = document.createElement('li');
  item.dataset.step = name;
  item.dataset.ms = elapsedMs(); // since the run started: for tests and for curiosity
  item.textContent = text;
  steps.append(item);
}

function fail(failure) {
  errorLine.dataset.error = failure.kind;
  errorLine.dataset.ms = elapsedMs();
  errorLine.textContent = `ERROR: ${failure.message}.`;
  errorLine.hidden = false;
  run.dataset.state = 'failed';
}

function elapsedMs() {
  return String(Math.round(performance.now() - startedAt));
}

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}
