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

/** Adds a message to a queue as Azurite's queue handler does, visible from `visibleAt`, expiring in a day. */
function addMessage(store, queueName, messageId, popReceipt, visibleAt, now, offset, extent = "x") {
  return store.insertMessage({
    accountName: "devstoreaccount1", queueName, messageId, popReceipt, timeNextVisible: new Date(visibleAt),
    persistency: { id: extent, offset, count: 1 }, insertionTime: new Date(now), expirationTime: new Date(now + 86_400_000), dequeueCount: 0,
  });
}

test("times become fixed-width digits that sort as the times do", () => {
  const times = [0, 1, 9, 10, 999, 1_700_000_000_000, new Date(253402214400000)];
  const keys = times.map(fixedWidth);
  assert.ok(keys.every(k => k.length === 16), keys.join(","));
  assert.deepEqual([...keys].sort(), keys);
  assert.equal(fixedWidth(new Date(5)), fixedWidth(5));
});

test("queue calls answer the same with the lookup (and the index upkeep) as without them", async () => {
  const before = await exerciseQueue("lookup-before");
  upkeep.install(Loki); // in the preload's order: the lookup's update runs first and gives the upkeep its hint
  install(Loki);
  const after = await exerciseQueue("lookup-after");
  assert.deepEqual(after, before);
  assert.ok(before.some(line => /got m\d/.test(line)), "the queues gave messages");
  assert.ok(before.some(line => /@\d/.test(line)), "the peeks saw messages");
});

test("a dequeue reads only its queue's visible messages, not those waiting or in other queues", async () => {
  upkeep.install(Loki);
  install(Loki);
  const store = new QueueStore(path.join(os.tmpdir(), "hh-queue-lookup-reads"), true);
  await store.init();
  const account = "devstoreaccount1";
  for (const name of ["control-00", "control-01"]) await store.createQueue({ accountName: account, name });
  const now = Date.now();
  let id = 0;
  const add = async (queueName, visibleAt) => {
    const n = id++;
    await addMessage(store, queueName, `m${n}`, `p${n}`, visibleAt, now, n + 1);
  };
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
  // The expiry sweep's conditions run over what its range gave (nothing expired), and the dequeue's
  // range is exactly what it asks for. Without the lookup they run over all 503 of the queue, twice.
  assert.ok(evaluated <= 3, `the $lte conditions were evaluated ${evaluated} times`);
  await store.close();
});

test("a dequeue takes its first messages from a backlog in the order Azurite sorts them, without sorting or filtering the backlog", async () => {
  upkeep.install(Loki); // in the preload's order: the lookup's update runs first and gives the upkeep its hint
  install(Loki);
  const store = new QueueStore(path.join(os.tmpdir(), "hh-queue-lookup-backlog"), true);
  await store.init();
  const account = "devstoreaccount1";
  await store.createQueue({ accountName: account, name: "control-02" });
  const now = Date.now();
  const random = require("./queue-exercise.cjs").generator(5);
  const expected = [];
  for (let i = 0; i < 2000; i++) {
    // Many messages share a visibility time, as starts sent in the same millisecond do, and later
    // ones may be visible earlier: the order is time, then insertion.
    const visibleAt = now - Math.floor(random() * 50);
    await addMessage(store, "control-02", `b${i}`, `q${i}`, visibleAt, now, i);
    expected.push({ id: `b${i}`, visibleAt, order: i });
  }
  expected.sort((a, b) => a.visibleAt - b.visibleAt || a.order - b.order);

  // All of it, down to the messages visible at the very millisecond asked for.
  const all = await store.peekMessages(account, "control-02", 5000, new Date(now), undefined);
  assert.deepEqual(all.map(m => m.messageId), expected.map(m => m.id));
  assert.ok(expected.some(m => m.visibleAt === now));

  const sort = Array.prototype.sort;
  let sorted = 0;
  const ops = Loki.LokiOps;
  const lte = ops.$lte;
  let evaluated = 0;
  Array.prototype.sort = function (...args) { sorted += this.length; return sort.apply(this, args); };
  ops.$lte = function (...args) { evaluated++; return lte.apply(this, args); };
  let peeked, taken;
  try {
    peeked = await store.peekMessages(account, "control-02", 32, new Date(now), undefined);
    taken = await store.getMessages(account, "control-02", new Date(now + 30_000), "r", 32, new Date(now), undefined);
  } finally {
    Array.prototype.sort = sort;
    ops.$lte = lte;
  }
  assert.deepEqual(peeked.map(m => m.messageId), expected.slice(0, 32).map(m => m.id));
  assert.deepEqual(taken.map(m => m.messageId), expected.slice(0, 32).map(m => m.id));
  // (Marking the 32 taken sorts their own positions, nothing of the backlog's 2,000.)
  assert.ok(sorted <= 64, `${sorted} elements were sorted`);
  // Each key ends with the insertion number LokiJS gave, as an update's key does.
  const coll = store.db.getCollection("$MESSAGES_COLLECTION$");
  assert.ok(coll.data.every(doc => doc.__visibleKey.endsWith("\u0001" + String(doc.$loki).padStart(12, "0"))));
  assert.equal(evaluated, 0, "the backlog's visibility was evaluated message by message");

  // The 32 taken are hidden now; the next dequeue takes the next 32 in order, and marking them
  // taken does not walk the indexes (each holds 2,000 messages).
  const filter = Array.prototype.filter;
  let filtered = 0;
  Array.prototype.filter = function (...args) { filtered += this.length; return filter.apply(this, args); };
  let next;
  try {
    next = await store.getMessages(account, "control-02", new Date(now + 30_000), "s", 32, new Date(now), undefined);
  } finally {
    Array.prototype.filter = filter;
  }
  assert.deepEqual(next.map(m => m.messageId), expected.slice(32, 64).map(m => m.id));
  assert.ok(filtered < 500, `the update walked ${filtered} index entries`);
  // An abandon (one message made visible again at once) and a renewal, then every index still holds
  // each message once, in order.
  await store.updateMessage({ accountName: account, queueName: "control-02", messageId: next[0].messageId, popReceipt: "a", timeNextVisible: new Date(now - 5000) }, "s", undefined);
  await store.updateMessage({ accountName: account, queueName: "control-02", messageId: next[1].messageId, popReceipt: "b", timeNextVisible: new Date(now + 90_000) }, "s", undefined);
  for (const [name, index] of Object.entries(coll.binaryIndices)) {
    assert.deepEqual([...index.values].sort((a, b) => a - b), coll.data.map((_, i) => i), `index ${name} holds every message once`);
    for (let i = 1; i < index.values.length; i++) {
      const [a, b] = [coll.data[index.values[i - 1]][name], coll.data[index.values[i]][name]];
      if (typeof a === "string") assert.ok(a <= b, `index ${name} is out of order at ${i}`);
    }
  }
  const first = await store.getMessages(account, "control-02", new Date(now + 30_000), "t", 1, new Date(now), undefined);
  assert.deepEqual(first.map(m => m.messageId), [next[0].messageId]);
  await store.close();
});

test("a delete and an update find their message by its id, not by walking the queue's backlog", async () => {
  upkeep.install(Loki); // in the preload's order: the lookup's update runs first and gives the upkeep its hint
  install(Loki);
  const store = new QueueStore(path.join(os.tmpdir(), "hh-queue-lookup-by-id"), true);
  await store.init();
  const account = "devstoreaccount1";
  await store.createQueue({ accountName: account, name: "control-03" });
  const now = Date.now();
  for (let i = 0; i < 1000; i++) {
    await addMessage(store, "control-03", `d${i}`, `p${i}`, now - 1000, now, i);
  }

  const ops = Loki.LokiOps;
  const eq = ops.$eq;
  let evaluated = 0;
  ops.$eq = function (...args) { evaluated++; return eq.apply(this, args); };
  try {
    await store.updateMessage({ accountName: account, queueName: "control-03", messageId: "d500", popReceipt: "u", timeNextVisible: new Date(now + 60_000) }, "p500", undefined);
    await store.deleteMessage(account, "control-03", "d700", "p700", undefined);
  } finally {
    ops.$eq = eq;
  }
  assert.ok(evaluated <= 20, `the queue's conditions were evaluated ${evaluated} times`);
  const left = await store.peekMessages(account, "control-03", 5000, new Date(now), undefined);
  assert.equal(left.length, 998);
  assert.ok(!left.some(m => m.messageId === "d500" || m.messageId === "d700"));
  assert.equal(await store.getMessagesCount(account, "control-03", undefined), 999);
  await store.close();
});

test("the garbage collection's listing of every message, page by page, gives every message once, in order, without comparing each page's", async () => {
  const list = async label => {
    const store = new QueueStore(path.join(os.tmpdir(), `hh-queue-lookup-list-${label}`), true);
    await store.init();
    const account = "devstoreaccount1";
    await store.createQueue({ accountName: account, name: "control-04" });
    const now = Date.now();
    for (let i = 0; i < 2500; i++) {
      await addMessage(store, "control-04", `g${i}`, `p${i}`, now - 1000, now, i, `e${i}`);
    }
    for (let i = 0; i < 2500; i += 7) await store.deleteMessage(account, "control-04", `g${i}`, `p${i}`, undefined);
    const pages = [];
    let marker;
    do {
      const [messages, next] = await store.listMessages(1000, marker);
      pages.push(messages.map(m => m.messageId).join(","));
      marker = next;
    } while (marker !== undefined);
    await store.close();
    return pages;
  };
  // Every message left, in the order they came, a thousand a page.
  const left = Array.from({ length: 2500 }, (_, i) => i).filter(i => i % 7 !== 0).map(i => `g${i}`);
  const before = [0, 1000, 2000].map(start => left.slice(start, start + 1000).join(","));
  upkeep.install(Loki); // in the preload's order: the lookup's update runs first and gives the upkeep its hint
  install(Loki);
  const ops = Loki.LokiOps;
  const gt = ops.$gt;
  let evaluated = 0;
  ops.$gt = function (...args) { evaluated++; return gt.apply(this, args); };
  let after;
  try {
    after = await list("after");
  } finally {
    ops.$gt = gt;
  }
  assert.deepEqual(after, before);
  // Only the first page (no number yet) compares; the pages after start where their number is.
  assert.ok(evaluated <= 2200, `messages were compared ${evaluated} times`);
});
