// Checks the benchmark's index upkeep against LokiJS and Azurite's own queue store, in process:
// the same operations leave the same documents and answer the same with it as without it, and every
// index stays correct. Run: node --test scripts/azurite/index-upkeep.test.cjs (scripts/test.sh runs it).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const { install, SMALL } = require("./index-upkeep.cjs");
const { exerciseQueue, generator } = require("./queue-exercise.cjs");

const azurite = path.dirname(require.resolve("azurite/package.json", { paths: [path.join(__dirname, "..", "..")] }));
const Loki = require(require.resolve("lokijs", { paths: [azurite] }));

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
