// A seeded run of Azurite's own queue store (inserts, dequeues, deletes, updates, peeks, counts,
// messages waiting and visible in several queues), shared by the preload's tests: run once before a
// preload part is installed and once after, the two runs must see the same.
"use strict";

const path = require("path");
const os = require("os");

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

async function exerciseQueue(label, rounds = 80) {
  const store = new QueueStore(path.join(os.tmpdir(), `hh-queue-exercise-${label}`), true);
  await store.init();
  const account = "devstoreaccount1";
  const queues = ["control-00", "control-0", "control-01", "workitems"]; // one name the start of another
  for (const name of queues) await store.createQueue({ accountName: account, name });
  const random = generator(11);
  const seen = [];
  const base = Date.now();
  let id = 0;
  const held = [];
  const waiting = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 10; i++) {
      const queueName = queues[Math.floor(random() * queues.length)];
      const waits = random() >= 0.5; // half wait, as timer messages do
      const expired = random() < 0.1; // some expired already
      const visible = base + (waits ? 3_600_000 : -1000);
      if (waits && !expired) waiting.push({ queue: queueName, messageId: `m${id}`, popReceipt: `p${id}` });
      await store.insertMessage({
        accountName: account, queueName, messageId: `m${id}`, popReceipt: `p${id}`, timeNextVisible: new Date(visible),
        persistency: { id: "x", offset: id, count: 1 }, insertionTime: new Date(base), expirationTime: new Date(expired ? base - 1 : base + 86_400_000), dequeueCount: 0,
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
    if (round % 4 === 1 && held.length > 0) {
      // Hidden again for longer, as a lease renewal does, or made visible at once, as an abandon does.
      const m = held.shift();
      const visibleAt = round % 8 === 1 ? base + 90_000 + round : base - 500;
      await store.updateMessage({ accountName: account, queueName: m.queue, messageId: m.messageId, popReceipt: `u${round}`, timeNextVisible: new Date(visibleAt) }, m.popReceipt, undefined);
    }
    if (round % 5 === 2 && waiting.length > 0) {
      const m = waiting.shift(); // a waiting message made visible at once
      await store.updateMessage({ accountName: account, queueName: m.queue, messageId: m.messageId, popReceipt: `w${round}`, timeNextVisible: new Date(base - 200) }, m.popReceipt, undefined);
    }
    const peeked = await store.peekMessages(account, queues[(round + 1) % queues.length], 32, new Date(base + 60_000 + round * 1000), undefined);
    seen.push(peeked.map(m => `${m.messageId}@${m.timeNextVisible.getTime() - base}`).join(","));
    for (const name of queues) seen.push(`${name}: ${await store.getMessagesCount(account, name, undefined)}`);
  }
  await store.close();
  return seen;
}


module.exports = { Loki, QueueStore, exerciseQueue, generator };
