// Checks the benchmark's index upkeep against LokiJS and Azurite's own queue store, in process:
// the same operations leave the same documents and answer the same with it as without it, and every
// index stays correct. Run: node --test scripts/azurite/index-upkeep.test.cjs (scripts/test.sh runs it).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const os = require("os");
const { install, SMALL } = require("./index-upkeep.cjs");

const azurite = path.dirname(require.resolve("azurite/package.json", { paths: [path.join(__dirname, "..", "..")] }));
const Loki = require(require.resolve("lokijs", { paths: [azurite] }));
const QueueStore = require(path.join(azurite, "dist", "src", "queue", "persistence", "LokiQueueMetadataStore.js")).default;

// A seeded generator, so that both passes make the same moves.
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Inserts, batch removals (empty, small, large), batch updates and finds on an indexed collection; returns what it saw. */
function exercise(label) {
  const random = generator(7);
  const db = new Loki(label, { persistenceMethod: "memory" });
  const coll = db.addCollection("things", { indices: ["group", "name", "due"] });
  const seen = [];
  let next = 0;
  for (let round = 0; round < 60; round++) {
    for (let i = 0; i < 40; i++) {
      coll.insert({ group: `g${Math.floor(random() * 5)}`, name: `n${next++}`, due: Math.floor(random() * 1000) });
    }
    const due = Math.floor(random() * 1000);
    const kind = round % 4;
    if (kind === 0) {
      coll.remove(coll.chain().find({ group: "none" }).data()); // empty, as the queue store's expiry sweep nearly always is
    } else if (kind === 1) {
      coll.chain().find({ group: `g${round % 5}`, due: { $lte: due } }).compoundsort([["due", false], ["$loki", false]]).limit(5).remove(); // as a dequeue picks
    } else if (kind === 2) {
      const docs = coll.chain().find({ group: `g${round % 5}` }).simplesort("name").limit(Math.floor(random() * 10) + 1).data();
      for (const doc of docs) doc.due = Math.floor(random() * 1000);
      coll.update(docs);
    } else {
      coll.remove(coll.chain().find({ due: { $lte: due / 10 } }).data()); // sometimes more than SMALL
    }
    for (const prop of ["group", "name", "due"]) {
      assert.ok(coll.checkIndex(prop, { randomSampling: false }), `${label}: index ${prop} after round ${round}`);
    }
    seen.push(coll.chain().find({ group: `g${round % 5}`, due: { $lte: 500 } }).simplesort("name").data().map(d => `${d.name}:${d.due}`).join(","));
  }
  seen.push(coll.chain().simplesort("name").data().map(d => `${d.group}/${d.name}:${d.due}`).join(","));
  return seen;
}

async function exerciseQueue(label) {
  const store = new QueueStore(path.join(os.tmpdir(), `hh-index-upkeep-${label}`), true);
  await store.init();
  const account = "devstoreaccount1";
  const queues = ["control-00", "control-01", "workitems"];
  for (const name of queues) await store.createQueue({ accountName: account, name });
  const random = generator(11);
  const seen = [];
  const base = Date.now();
  let id = 0;
  const held = [];
  for (let round = 0; round < 80; round++) {
    for (let i = 0; i < 10; i++) {
      const queueName = queues[Math.floor(random() * queues.length)];
      const visible = base + (random() < 0.5 ? -1000 : 3_600_000); // half wait, as timer messages do
      await store.insertMessage({
        accountName: account, queueName, messageId: `m${id}`, popReceipt: `p${id}`, timeNextVisible: new Date(visible),
        persistency: { id: "x", offset: id, count: 1 }, insertionTime: new Date(base), expirationTime: new Date(base + 86_400_000), dequeueCount: 0,
      });
      id++;
    }
    const queue = queues[round % queues.length];
    const taken = await store.getMessages(account, queue, new Date(base + 30_000 + round), `r${round}`, 1 + (round % 7), new Date(base), undefined);
    seen.push(`${queue} got ${taken.map(m => m.messageId).join(",")}`);
    held.push(...taken.map(m => ({ queue, messageId: m.messageId, popReceipt: `r${round}` })));
    if (round % 3 === 0 && held.length > 0) {
      const m = held.shift();
      await store.deleteMessage(account, m.queue, m.messageId, m.popReceipt, undefined);
    }
    const peeked = await store.peekMessages(account, queues[(round + 1) % queues.length], 32, new Date(base + 60_000 + round * 1000), undefined);
    seen.push(peeked.map(m => `${m.messageId}@${m.timeNextVisible.getTime() - base}`).join(","));
    for (const name of queues) seen.push(`${name}: ${await store.getMessagesCount(account, name, undefined)}`);
  }
  await store.close();
  return seen;
}

test("collections hold and answer the same with the upkeep as without it, and their indexes stay correct", async () => {
  const before = exercise("before");
  const queueBefore = await exerciseQueue("before");
  install(Loki);
  const after = exercise("after");
  const queueAfter = await exerciseQueue("after");
  assert.deepEqual(after, before);
  assert.deepEqual(queueAfter, queueBefore);
  assert.ok(queueBefore.some(line => /got m\d/.test(line)), "the queues gave messages");
  assert.ok(before.some(line => line.length > 0), "the finds found something");
});

test("a small batch keeps the indexes without sorting them again; a large one still goes through LokiJS's batch path", () => {
  install(Loki);
  const db = new Loki("sorts", { persistenceMethod: "memory" });
  const coll = db.addCollection("things", { indices: ["name"] });
  for (let i = 0; i < 500; i++) coll.insert({ name: `n${String(i).padStart(3, "0")}` });
  let sorts = 0;
  const ensureIndex = coll.ensureIndex;
  coll.ensureIndex = function (property, force) {
    if (force || !this.binaryIndices[property] || this.binaryIndices[property].dirty) sorts++; // a sort, not a look
    return ensureIndex.call(this, property, force);
  };

  coll.remove([]);
  coll.remove(coll.find({ name: { $lt: "n005" } }));
  const some = coll.find({ name: { $lt: "n010" } });
  for (const doc of some) doc.name = "z" + doc.name;
  coll.update(some);
  assert.equal(sorts, 0, "no index was sorted again for small batches");
  assert.ok(coll.checkIndex("name", { randomSampling: false }));

  coll.remove(coll.find({ name: { $lt: "n" + String(10 + SMALL + 1).padStart(3, "0") } }));
  assert.ok(sorts > 0, "a large batch rebuilt the index");
  assert.ok(coll.checkIndex("name", { randomSampling: false }));
  assert.equal(coll.count(), 500 - 5 - (SMALL + 1));
});
