// Preloaded into Azurite by the benchmark (through scripts/azurite/preload.cjs): lets the queue store
// find a queue's visible messages, and its expired ones, through an index, instead of walking every
// message of the queue.
//
// Why: Azurite keeps every queue message of the account in one LokiJS collection, indexed on account,
// queue and message id. Each dequeue asks for `{accountName, queueName, timeNextVisible <= now}` and
// each dequeue, delete and update first sweeps `{accountName, queueName, expirationTime <= now}`.
// LokiJS starts from one condition's index and walks the rest, so every queue call walks every
// message of the account (or, from the queue name, of the queue). A task hub's control queues hold a
// timer message for each waiting orchestration, and while orchestrations are started faster than
// they run, thousands of start messages too: each queue call slowed as they grew.
//
// What changes: only where a message query starts; never which messages it returns (its own
// conditions still run over what the index gives, and the callers sort what they take).
//  * Each message carries two derived keys, `<account>\u0001<queue>\u0001<time>` for its visibility
//    and its expiry time (fixed-width milliseconds), kept sorted in two more indexes. They are set
//    whenever a message is inserted or updated, and Azurite's own copies of a message never include
//    them.
//  * A query with the account, the queue and `timeNextVisible` (or `expirationTime`) `$lte` a time
//    starts from that key's range: exactly the queue's messages visible (or expired) by then.
//  * Any other message query naming the queue starts from the queue.
// Tests: scripts/azurite/queue-lookup.test.cjs.
"use strict";

/** The queue store's collection of messages. */
const MESSAGES = "$MESSAGES_COLLECTION$";

const SEPARATOR = "\u0001";

/** The derived keys and the time each is made of. */
const KEYS = [
  { key: "__visibleKey", time: "timeNextVisible" },
  { key: "__expiresKey", time: "expirationTime" },
];

/** A time (milliseconds or a Date) as fixed-width digits, so that the keys sort as their times do. */
function fixedWidth(time) {
  const ms = Math.max(0, Math.floor(Number(time instanceof Date ? time.getTime() : time)));
  return Number.isFinite(ms) ? String(ms).padStart(16, "0") : "9".repeat(16);
}

function prefix(account, queue) {
  return account + SEPARATOR + queue + SEPARATOR;
}

function setKeys(doc) {
  if (!doc || typeof doc !== "object") return;
  for (const { key, time } of KEYS) {
    doc[key] = prefix(doc.accountName, doc.queueName) + fixedWidth(doc[time]);
  }
}

/** The derived key's range for a query of the account's queue up to a time, or undefined. */
function range(query, time) {
  const condition = query[time];
  if (typeof query.accountName !== "string" || typeof query.queueName !== "string") return undefined;
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1 || condition.$lte === undefined) return undefined;
  const start = prefix(query.accountName, query.queueName);
  return [start, start + fixedWidth(condition.$lte)];
}

/** Installs the lookup on the given LokiJS module. */
function install(Loki) {
  const collection = Loki.Collection.prototype;
  if (collection.__queueLookup) return;
  collection.__queueLookup = true;

  const isMessages = coll => coll.name === MESSAGES;

  // Gives every message its keys and indexes them, the first time the collection is used.
  const ready = coll => {
    if (coll.__queueKeysReady) return;
    coll.__queueKeysReady = true;
    for (const doc of coll.data) setKeys(doc);
    for (const { key } of KEYS) coll.ensureIndex(key, true);
  };

  const insert = collection.insert;
  collection.insert = function (doc, ...rest) {
    if (isMessages(this)) {
      ready(this);
      for (const one of Array.isArray(doc) ? doc : [doc]) setKeys(one);
    }
    return insert.call(this, doc, ...rest);
  };

  const update = collection.update;
  collection.update = function (doc) {
    if (isMessages(this)) {
      ready(this);
      for (const one of Array.isArray(doc) ? doc : [doc]) setKeys(one);
    }
    return update.call(this, doc);
  };

  const resultset = Loki.Resultset.prototype;
  const find = resultset.find;
  resultset.find = function (query, firstOnly) {
    if (!this.filterInitialized && isMessages(this.collection) && query && typeof query === "object" && !Array.isArray(query)) {
      ready(this.collection);
      const found = KEYS.map(({ key, time }) => [key, range(query, time)]).find(([, r]) => r !== undefined);
      let first;
      if (found) {
        first = { [found[0]]: { $between: found[1] } };
      } else if (typeof query.queueName === "string" && Object.keys(query)[0] !== "queueName") {
        first = { queueName: query.queueName };
      }
      if (first) {
        const reordered = { ...first };
        for (const key of Object.keys(query)) if (!(key in reordered)) reordered[key] = query[key];
        query = reordered;
      }
    }
    return find.call(this, query, firstOnly);
  };
}

module.exports = { install, fixedWidth };
