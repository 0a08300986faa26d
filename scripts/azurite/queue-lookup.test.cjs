// Checks the benchmark's queue lookup against Azurite's own queue store, in process: the same queue
// calls answer the same with it as without it, and a dequeue reads the queue's visible messages only.
// Run: node --test scripts/azurite/queue-lookup.test.cjs (scripts/test.sh runs it).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const os = require("os");
const { install, fixedWidth } = require("./queue-lookup.cjs");
const upkeep = require("./index-upkeep.cjs");
const { Loki, QueueStore, exerciseQueue } = require("./queue-exercise.cjs");

test("times become fixed-width digits that sort as the times do", () => {
  const times = [0, 1, 9, 10, 999, 1_700_000_000_000, new Date(253402214400000)];
  const keys = times.map(fixedWidth);
  assert.ok(keys.every(k => k.length === 16), keys.join(","));
  assert.deepEqual([...keys].sort(), keys);
  assert.equal(fixedWidth(new Date(5)), fixedWidth(5));
});

test("queue calls answer the same with the lookup (and the index upkeep) as without them", async () => {
  const before = await exerciseQueue("lookup-before");
  install(Loki);
  upkeep.install(Loki);
  const after = await exerciseQueue("lookup-after");
  assert.deepEqual(after, before);
  assert.ok(before.some(line => /got m\d/.test(line)), "the queues gave messages");
  assert.ok(before.some(line => /@\d/.test(line)), "the peeks saw messages");
});

test("a dequeue reads only its queue's visible messages, not those waiting or in other queues", async () => {
  install(Loki);
  const store = new QueueStore(path.join(os.tmpdir(), "hh-queue-lookup-reads"), true);
  await store.init();
  const account = "devstoreaccount1";
  for (const name of ["control-00", "control-01"]) await store.createQueue({ accountName: account, name });
  const now = Date.now();
  let id = 0;
  const add = async (queueName, visibleAt) => store.insertMessage({
    accountName: account, queueName, messageId: `m${id}`, popReceipt: `p${id++}`, timeNextVisible: new Date(visibleAt),
    persistency: { id: "x", offset: id, count: 1 }, insertionTime: new Date(now), expirationTime: new Date(now + 86_400_000), dequeueCount: 0,
  });
  for (let i = 0; i < 500; i++) await add("control-00", now + 3_600_000); // timers waiting
  for (let i = 0; i < 500; i++) await add("control-01", now - 1000); // another queue's backlog
  for (let i = 0; i < 3; i++) await add("control-00", now - 1000);

  const ops = Loki.LokiOps;
  let evaluated = 0;
  const lte = ops.$lte;
  ops.$lte = function (...args) { evaluated++; return lte.apply(this, args); };
  try {
    const taken = await store.getMessages(account, "control-00", new Date(now + 30_000), "r", 32, new Date(now), undefined);
    assert.deepEqual(taken.map(m => m.messageId), ["m1000", "m1001", "m1002"]);
  } finally {
    ops.$lte = lte;
  }
  // The expiry sweep's and the dequeue's own conditions run over what their ranges gave: nothing
  // expired, and the three visible messages. Without the lookup it is over all 503 of the queue, twice.
  assert.ok(evaluated <= 3, `the $lte conditions were evaluated ${evaluated} times`);
  await store.close();
});
