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
// What changes: only how a message query finds its messages; never which messages it returns, nor
// in what order.
//  * Each message carries two derived keys, kept sorted in two more indexes:
//    `<account>\u0001<queue>\u0001<visible time>\u0001<$loki>` and `<account>\u0001<queue>\u0001<expiry
//    time>` (fixed-width milliseconds and insertion number). They are set whenever a message is
//    added or updated, and Azurite's own copies of a message never include them.
//  * A dequeue or a peek asks for exactly the account, the queue and `timeNextVisible` `$lte` a time,
//    then sorts by visibility time and insertion (`$loki`) and takes the first n. Its messages are
//    the visibility key's range, already in that order: the range is taken as it stands, and the
//    sort that follows is skipped. With a backlog of visible messages, a dequeue no longer filters
//    and sorts the whole backlog to take 32.
//  * The expiry sweep (`expirationTime` `$lte` a time) starts from the expiry key's range, and its
//    own conditions still run over what that gives.
//  * The garbage collection's listing of every message after an insertion number (`$loki` `$gt` n)
//    starts where that number is in the documents, which LokiJS keeps in insertion order, instead of
//    comparing every message with it, page after page.
//  * Any other message query that would start from the account and names the queue starts from the
//    queue. One that starts from the message id (a delete's, an update's) is left to start there:
//    that finds one message, where the queue holds the whole backlog.
// Tests: scripts/azurite/queue-lookup.test.cjs.
"use strict";

/** The queue store's collection of messages. */
const MESSAGES = "$MESSAGES_COLLECTION$";

const SEPARATOR = "\u0001";

/** The derived keys and the time each is made of. */
const KEYS = ["__visibleKey", "__expiresKey"];

/** A time (milliseconds or a Date) as fixed-width digits, so that the keys sort as their times do. */
function fixedWidth(time) {
  const ms = Math.max(0, Math.floor(Number(time instanceof Date ? time.getTime() : time)));
  return Number.isFinite(ms) ? String(ms).padStart(16, "0") : "9".repeat(16);
}

function prefix(account, queue) {
  return account + SEPARATOR + queue + SEPARATOR;
}

/** Sets a message's derived keys; `id` is its `$loki`, given before LokiJS sets it on an add. */
function setKeys(doc, id = doc.$loki) {
  const start = prefix(doc.accountName, doc.queueName);
  doc.__visibleKey = start + fixedWidth(doc.timeNextVisible) + SEPARATOR + String(id).padStart(12, "0");
  doc.__expiresKey = start + fixedWidth(doc.expirationTime);
}

/** The indexed fields of a message that Azurite never changes once it is stored. */
const UNCHANGED_BY_UPDATES = new Set(["accountName", "queueName", "messageId", "visibleTime"]);

/** The order a dequeue and a peek sort their messages in, which the visibility key keeps. */
const DEQUEUE_ORDER = JSON.stringify([["timeNextVisible", false], ["$loki", false]]);

/** The visibility key's range for a query of exactly the account, the queue and a visibility time, or undefined. */
function visibleRange(query) {
  const keys = Object.keys(query);
  if (keys.length !== 3 || !keys.includes("accountName") || !keys.includes("queueName")) return undefined;
  const bounds = range(query, "timeNextVisible");
  // Every key of a message visible at the time sorts between these; the next after the last time's
  // keys ends with a character after the separator.
  return bounds && [bounds[0], bounds[1] + String.fromCharCode(SEPARATOR.charCodeAt(0) + 1)];
}

/** The derived key's range for a query of the account's queue up to a time, or undefined. */
function range(query, time) {
  const condition = query[time];
  if (typeof query.accountName !== "string" || typeof query.queueName !== "string") return undefined;
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1 || condition.$lte === undefined) return undefined;
  const start = prefix(query.accountName, query.queueName);
  return [start, start + fixedWidth(condition.$lte)];
}

/** The insertion number a query of exactly `{ $loki: { $gt: n } }` asks for messages after, or undefined. */
function insertedAfter(query) {
  const keys = Object.keys(query);
  if (keys.length !== 1 || keys[0] !== "$loki") return undefined;
  const condition = query.$loki;
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1 || typeof condition.$gt !== "number") return undefined;
  return condition.$gt;
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
    for (const key of KEYS) coll.ensureIndex(key, true);
  };

  // Every insert adds through here, where LokiJS gives the document its `$loki` (the next of maxId)
  // and puts it in the indexes: the keys are set just before.
  const add = collection.add;
  collection.add = function (doc) {
    if (isMessages(this) && doc && typeof doc === "object") {
      ready(this);
      const next = this.maxId + 1;
      setKeys(doc, Number.isNaN(next) ? this.data[this.data.length - 1].$loki + 1 : next);
    }
    return add.call(this, doc);
  };

  // An update changes a message's visibility (a dequeue's, an abandon's, a renewal's), never its
  // account, queue or id: the index upkeep is told so, and given each derived key's value before.
  const update = collection.update;
  collection.update = function (doc) {
    // LokiJS updates an array one document at a time through this same method: an inner call finds
    // the outer call's keys set and its hint in place.
    if (!isMessages(this) || this.__updateHint) return update.call(this, doc);
    ready(this);
    const previous = new Map();
    for (const one of Array.isArray(doc) ? doc : [doc]) {
      if (!one || typeof one !== "object") continue;
      const found = one.$loki === undefined ? null : this.get(one.$loki, true);
      if (found) previous.set(found[1], { __visibleKey: one.__visibleKey, __expiresKey: one.__expiresKey });
      setKeys(one);
    }
    this.__updateHint = { unchanged: UNCHANGED_BY_UPDATES, previous };
    try {
      return update.call(this, doc);
    } finally {
      this.__updateHint = undefined;
    }
  };

  const resultset = Loki.Resultset.prototype;
  const find = resultset.find;
  resultset.find = function (query, firstOnly) {
    if (!this.filterInitialized && isMessages(this.collection) && query && typeof query === "object" && !Array.isArray(query)) {
      const coll = this.collection;
      ready(coll);
      const visible = firstOnly ? undefined : visibleRange(query);
      if (visible && coll.data.length > 0) {
        if (coll.adaptiveBinaryIndices !== true) coll.ensureIndex("__visibleKey");
        const [from, to] = coll.calculateRange("$between", "__visibleKey", visible);
        this.filteredrows = coll.binaryIndices.__visibleKey.values.slice(from, to + 1);
        this.filterInitialized = true;
        this.__inDequeueOrder = true;
        return this;
      }
      // The queue store's garbage collection lists every message, a page at a time, after the last
      // insertion number it saw; LokiJS keeps the documents in that order.
      const after = insertedAfter(query);
      if (after !== undefined) {
        const ids = coll.idIndex ?? coll.data.map(doc => doc.$loki);
        let low = 0;
        let high = ids.length;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (ids[middle] <= after) low = middle + 1;
          else high = middle;
        }
        this.filteredrows = Array.from({ length: ids.length - low }, (_, i) => low + i);
        this.filterInitialized = true;
        return this;
      }
      const expired = range(query, "expirationTime");
      let first;
      if (expired) {
        first = { __expiresKey: { $between: expired } };
      } else if (typeof query.queueName === "string" && Object.keys(query)[0] === "accountName") {
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

  const compoundsort = resultset.compoundsort;
  resultset.compoundsort = function (properties) {
    if (this.__inDequeueOrder && JSON.stringify(properties) === DEQUEUE_ORDER) return this;
    this.__inDequeueOrder = false;
    return compoundsort.call(this, properties);
  };
  // Any other order given to the messages ends what the range's order promised.
  for (const name of ["simplesort", "sort"]) {
    const sort = resultset[name];
    resultset[name] = function (...args) {
      this.__inDequeueOrder = false;
      return sort.apply(this, args);
    };
  }
}

module.exports = { install, fixedWidth };
