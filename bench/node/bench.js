'use strict';
// The MQTT.js stack of the bench (MQTT 3.1.1 over TLS, as node-example): the same work as the Java stacks'
// Workload.java, with the same settings from the same environment variables, and its figures as one JSON line
// after "BENCH-RESULT ", which bench.jar reads. Run by bench.jar, not by hand.

const fs = require('node:fs');
const mqtt = require('mqtt');

const env = process.env;
const number = (name) => Number.parseInt(env[name], 10);
const settings = {
  host: env.MQTT_HOST,
  port: number('MQTT_PORT'),
  username: env.MQTT_USERNAME,
  password: env.MQTT_PASSWORD,
  ca: env.MQTT_CA_FILE ? fs.readFileSync(env.MQTT_CA_FILE) : undefined,
  publishRate: number('MQTT_PUBLISH_RATE'),
  clientId: env.BENCH_CLIENT_ID,
  messages: number('BENCH_MESSAGES'),
  connects: number('BENCH_CONNECTS'),
  latencyRate: number('BENCH_LATENCY_RATE'),
  latencyMessages: number('BENCH_LATENCY_MESSAGES'),
  window: number('BENCH_WINDOW'),
  warmup: number('BENCH_WARMUP'),
};
const PAYLOAD_SIZE = 256;
const TIMEOUT_MS = 10_000;
const STALL_MS = 20_000;
let measurement = 0;

function connect(clientId, onMessage) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect({
      protocol: 'mqtts',
      host: settings.host,
      port: settings.port,
      protocolVersion: 4,
      clientId,
      username: settings.username,
      password: settings.password,
      clean: true,
      reconnectPeriod: 0, // a benchmark that fails should stop
      connectTimeout: TIMEOUT_MS,
      // The same trust as node-example: the CA file (or Node.js' own CAs), the host name checked, sent as SNI.
      ca: settings.ca,
      rejectUnauthorized: true,
      servername: settings.host,
    });
    client.once('connect', () => {
      // Nagle's algorithm off, as for every stack: MQTT.js never sets it. Set on the TLS socket, it reaches the
      // TCP one underneath (the CONNECT went out before; everything measured comes after).
      client.stream.setNoDelay(true);
      resolve(client);
    });
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.on('message', (topic, payload) => onMessage(payload));
  });
}

/** The in-flight window (Window.java): at most `size` unacknowledged and at most `size` not yet back. */
class Window {
  constructor(messages, qos, onReceived) {
    Object.assign(this, { messages, qos, onReceived, sent: 0, acknowledged: 0, received: 0, failure: null });
    this.back = new Uint8Array(messages);
    this.lastProgress = Date.now();
    this.wake = () => {};
  }

  receivedPayload(payload) {
    const sequence = payload.readInt32BE(0);
    if (sequence >= 0 && sequence < this.messages && this.back[sequence] === 0) {
      this.back[sequence] = 1;
      this.onReceived(payload);
      this.received++;
      this.progress();
    }
  }

  acknowledgedOne() {
    this.acknowledged++;
    this.progress();
  }

  progress() {
    this.lastProgress = Date.now();
    this.wake();
  }

  fail(error) {
    this.failure = this.failure ?? error;
    this.wake();
  }

  /** Resolves once `ready()` holds; rejects on a failure or after 20 s without progress. */
  async until(ready) {
    while (!ready()) {
      if (this.failure) {
        throw this.failure;
      }
      if (Date.now() - this.lastProgress > STALL_MS) {
        throw new Error(`nothing new for 20 s: ${this.received} of ${this.messages} back, ${this.acknowledged} acknowledged`);
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  roomToSend() {
    const done = this.qos === 0 ? this.sent : this.acknowledged;
    return this.sent - done < settings.window && this.sent - this.received < settings.window;
  }

  allDone() {
    return this.received === this.messages && (this.qos === 0 || this.acknowledged === this.messages);
  }
}

function payload(sequence, dueNanos) {
  const bytes = Buffer.alloc(PAYLOAD_SIZE);
  bytes.writeInt32BE(sequence, 0);
  bytes.writeBigInt64BE(dueNanos, 4);
  return bytes;
}

function publish(client, window, topic, bytes, qos) {
  window.sent++;
  client.publish(topic, bytes, { qos }, (error) => {
    if (error) {
      window.fail(error);
    } else if (qos > 0) {
      window.acknowledgedOne(); // PUBACK
    }
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function subscribed(client, topic, qos) {
  const granted = await client.subscribeAsync(topic, { qos });
  if (granted[0].qos === 0x80) {
    throw new Error(`SUBACK refused the subscription to ${topic}`);
  }
}

async function connectTimes(count) {
  const micros = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const client = await connect(`${settings.clientId}-c${i}`, () => {});
    micros.push(Number((process.hrtime.bigint() - start) / 1000n));
    await client.endAsync();
  }
  return micros;
}

async function throughput(qos, messages) {
  const window = new Window(messages, qos, () => {});
  const client = await connect(settings.clientId, (bytes) => window.receivedPayload(bytes));
  client.on('error', (error) => window.fail(error));
  try {
    const topic = `bench/${settings.clientId}/${measurement++}`;
    await subscribed(client, topic, qos);
    const interval = settings.publishRate > 0 ? 1000 / settings.publishRate : 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < messages; i++) {
      await window.until(() => window.roomToSend());
      if (interval > 0) {
        await sleep(interval);
      }
      publish(client, window, topic, payload(i, process.hrtime.bigint()), qos);
    }
    await window.until(() => window.allDone());
    return messages / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    await client.endAsync();
  }
}

async function latency(messages) {
  const micros = [];
  const window = new Window(messages, 1,
    (bytes) => micros.push(Math.max(0, Number((process.hrtime.bigint() - bytes.readBigInt64BE(4)) / 1000n))));
  const client = await connect(settings.clientId, (bytes) => window.receivedPayload(bytes));
  client.on('error', (error) => window.fail(error));
  try {
    const topic = `bench/${settings.clientId}/${measurement++}`;
    await subscribed(client, topic, 1);
    const interval = 1_000_000_000n / BigInt(settings.latencyRate);
    const start = process.hrtime.bigint();
    for (let i = 0; i < messages; i++) {
      const due = start + BigInt(i) * interval;
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      if (wait > 0) {
        await sleep(wait);
      }
      await window.until(() => window.roomToSend());
      publish(client, window, topic, payload(i, due), 1);
    }
    await window.until(() => window.allDone());
    return micros;
  } finally {
    await client.endAsync();
  }
}

/**
 * VmHWM from /proc, as the Java stacks report it. Not process.resourceUsage().maxRSS: getrusage's maximum survives
 * exec, so a process started by a large JVM reports that JVM's size.
 */
function peakRssBytes() {
  try {
    const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return Number.parseInt(line.replace(/[^0-9]/g, ''), 10) * 1024;
  } catch {
    return -1;
  }
}

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function main() {
  if (settings.warmup > 0) {
    await connectTimes(Math.min(settings.connects, 10));
    await throughput(0, settings.warmup);
    await throughput(1, settings.warmup);
    await latency(Math.min(settings.latencyMessages, Math.floor(settings.warmup / 4) + 1));
  }
  const result = { stack: env.BENCH_STACK, transport: 'TLS' };
  result.connectMicrosValues = await connectTimes(settings.connects);
  const cpuBefore = cpuSeconds();
  result.qos0PerSecond = await throughput(0, settings.messages);
  result.qos1PerSecond = await throughput(1, settings.messages);
  result.cpuSeconds = cpuSeconds() - cpuBefore;
  result.latencyMicrosValues = await latency(settings.latencyMessages);
  result.peakRssBytes = peakRssBytes();
  result.peakHeapBytes = -1;
  console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
}

main().catch((error) => {
  console.error(`ERROR: ${error.message ?? error}`);
  if (env.BENCH_DEBUG === 'true') {
    console.error(error);
  }
  process.exit(1);
});
