'use strict';
// The round trip's counting and its window; the publish pace.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RoundTrip, windowFor } = require('../lib/round-trip');
const { PublishPace } = require('../lib/publish-pace');

test('each payload counts once; a repeat is a duplicate; other payloads are ignored', async () => {
  const roundTrip = new RoundTrip('node-1', 2);
  roundTrip.receive(roundTrip.payload(1));
  roundTrip.receive(roundTrip.payload(1));
  roundTrip.receive('Hello from node-2 #2');
  roundTrip.receive('Hello from node-1 #3');
  roundTrip.receive(roundTrip.payload(2));
  await roundTrip.awaitAllReceived();
  assert.equal(roundTrip.duplicates, 1);
});

test('the window: room again once a message is both acknowledged and back', async () => {
  const roundTrip = new RoundTrip('node-1', 3);
  await roundTrip.awaitRoom(2);
  await roundTrip.awaitRoom(2);
  let third = false;
  const waiting = roundTrip.awaitRoom(2).then(() => { third = true; });
  roundTrip.acknowledge(1);
  await new Promise(setImmediate);
  assert.equal(third, false, 'acknowledged is not finished');
  roundTrip.receive(roundTrip.payload(1));
  await waiting;
  assert.equal(third, true);
});

test('paced, the window is at most one second of messages', () => {
  assert.equal(windowFor(100, 10), 5); // the resent window and the next one leave 4 of the bucket of 10
  assert.equal(windowFor(100, 0), 100);
  assert.equal(windowFor(100, 1000), 100);
});

test('the pace keeps publishes at least 1/rate apart', async () => {
  const pace = new PublishPace(20);
  const start = performance.now();
  for (let i = 0; i < 5; i++) {
    await pace.awaitTurn();
  }
  assert.ok(performance.now() - start >= 4 * 50 - 1, 'four gaps of 50 ms');
  const unpaced = new PublishPace(0);
  const before = performance.now();
  for (let i = 0; i < 1000; i++) {
    await unpaced.awaitTurn();
  }
  assert.ok(performance.now() - before < 200);
});
