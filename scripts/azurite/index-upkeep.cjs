// Preloaded into Azurite by the benchmark (through scripts/azurite/preload.cjs): keeps LokiJS's
// indexes up to date one document at a time for small batches, instead of re-sorting every index of
// the collection.
//
// Why: Azurite keeps every queue message of the account in one LokiJS collection with four sorted
// indexes. Each dequeue, delete and update of a message first removes the expired messages of its
// queue (`coll.remove(array)`, nearly always empty) and a dequeue marks what it took with
// `coll.update(array)`. LokiJS handles any array, even an empty one, by marking every index dirty
// and sorting each of them again: four sorts of every message in the account for each queue call.
// A task hub with thousands of orchestrations keeps thousands of timer messages waiting in its
// control queues, so every queue call slows as they grow; seeding 10,000 referrals fell from about
// four a second to under one. (Which messages a queue call reads is queue-lookup.cjs's part.)
//
// What changes: only how the indexes are kept; never which documents a collection holds or a query
// returns.
//  * An empty batch removal does nothing (LokiJS would only have re-sorted the indexes).
//  * A batch of up to SMALL documents is removed one document at a time (found by id, not by
//    walking every document; LokiJS's batch path also filters its whole data and id arrays, which
//    made each removal of one message body cost as much as the queue store held), and the indexes
//    are kept by position; an updated batch is taken out of each index and put back where it sorts.
//    A caller may say (`coll.__updateHint`) which indexes an update leaves as they are, and what the
//    changed string values were before it: those entries are found by binary search, not by walking
//    the index (queue-lookup.cjs does, for a dequeue's 32 messages among thousands).
// Tests: scripts/azurite/index-upkeep.test.cjs.
"use strict";

/** Batches up to this size are kept one document at a time. */
const SMALL = 64;

/**
 * Takes the moved positions out of a string-valued index by their values before the update
 * (`previous`: position -> { [index]: value }), found by binary search rather than by walking the
 * index; false, touching nothing, when a value is missing or its entry is not where it sorts.
 */
function takeOutByPrevious(coll, index, name, moved, previous) {
  const valueOf = position => (previous.get(position) ?? {})[name] ?? coll.data[position][name];
  const found = [];
  for (const position of moved) {
    const value = previous.get(position)?.[name];
    if (typeof value !== "string") return false;
    let low = 0;
    let high = index.values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (valueOf(index.values[middle]) < value) low = middle + 1;
      else high = middle;
    }
    let at = low;
    while (at < index.values.length && index.values[at] !== position && valueOf(index.values[at]) === value) at++;
    if (index.values[at] !== position) return false;
    found.push(at);
  }
  found.sort((a, b) => b - a);
  for (const at of found) index.values.splice(at, 1);
  return true;
}

/** Installs the upkeep on the given LokiJS module. */
function install(Loki) {
  const collection = Loki.Collection.prototype;
  if (collection.__indexUpkeep) return;
  collection.__indexUpkeep = true;

  // Only collections that keep their indexes sorted as they change (LokiJS's default) are helped.
  const adaptive = coll => coll.adaptiveBinaryIndices === true && Object.keys(coll.binaryIndices).length > 0;

  // Runs one of LokiJS's batch operations with the collection's indexes out of its sight, so that it
  // neither flags them dirty nor sorts them again; the caller then brings each clean index up to date.
  const withoutIndexes = (coll, action) => {
    const indexes = coll.binaryIndices;
    coll.binaryIndices = {};
    try {
      return action();
    } finally {
      coll.binaryIndices = indexes;
    }
  };
  const cleanIndexes = coll => Object.values(coll.binaryIndices).filter(index => !index.dirty);

  const removeBatchByPositions = collection.removeBatchByPositions;
  collection.removeBatchByPositions = function (positions) {
    if (!Array.isArray(positions) || positions.length > SMALL || !adaptive(this)) {
      return removeBatchByPositions.call(this, positions);
    }
    if (positions.length === 0) return undefined;
    const removed = [...new Set(positions)].sort((a, b) => a - b);
    const docs = removed.map(p => this.data[p]);
    if (docs.some(doc => doc === undefined)) return removeBatchByPositions.call(this, positions);
    // One document at a time: LokiJS's batch path filters the whole data and id arrays even for one.
    // (Like LokiJS's single remove, this leaves the removed documents without their $loki.)
    let result;
    let gone = 0;
    withoutIndexes(this, () => {
      for (const doc of docs) {
        result = this.remove(doc);
        if (result === null) break; // rolled back: the rest stay
        gone++;
      }
    });
    if (gone < docs.length) {
      // Only the first `gone` went; keep the indexes right for exactly those.
      removed.length = gone;
    }
    // By position, as LokiJS's own batch path does (a document may have changed since it was indexed):
    // drop the removed positions and move each later one down by the number removed before it.
    const out = new Set(removed);
    const below = position => {
      let lo = 0;
      let hi = removed.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (removed[mid] < position) lo = mid + 1; else hi = mid;
      }
      return lo;
    };
    for (const index of cleanIndexes(this)) {
      index.values = index.values.filter(p => !out.has(p)).map(p => p - below(p));
    }
    return undefined;
  };

  // LokiJS finds a batch's positions by walking every document; a small batch's are found by id.
  const removeBatch = collection.removeBatch;
  collection.removeBatch = function (batch) {
    if (!Array.isArray(batch) || batch.length > SMALL || !adaptive(this)) {
      return removeBatch.call(this, batch);
    }
    const positions = [];
    for (const one of batch) {
      const found = this.get(typeof one === "object" ? one.$loki : one, true);
      if (found) positions.push(found[1]);
    }
    return this.removeBatchByPositions(positions);
  };

  const update = collection.update;
  collection.update = function (doc) {
    if (!Array.isArray(doc) || doc.length > SMALL || !adaptive(this)) {
      return update.call(this, doc);
    }
    try {
      return withoutIndexes(this, () => update.call(this, doc));
    } finally {
      // The documents may have been changed in place before the update, so their old index entries
      // cannot be found by value: take them out by position, then put each back where it now sorts.
      const positions = [];
      for (const one of doc) {
        const found = one && one.$loki !== undefined ? this.get(one.$loki, true) : null;
        if (found) positions.push(found[1]);
      }
      const moved = new Set(positions);
      const hint = this.__updateHint;
      for (const [name, index] of Object.entries(this.binaryIndices)) {
        if (index.dirty || hint?.unchanged.has(name)) continue;
        if (!hint || !takeOutByPrevious(this, index, name, moved, hint.previous)) {
          index.values = index.values.filter(p => !moved.has(p));
        }
        for (const position of moved) this.adaptiveBinaryIndexInsert(position, name);
      }
    }
  };
}

module.exports = { install, SMALL };
