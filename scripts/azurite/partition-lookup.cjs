// Preloaded into Azurite by the benchmark (through scripts/azurite/preload.cjs): lets Azurite's table store find a
// partition through the PartitionKey index it already keeps, instead of walking every entity.
//
// Why: Azurite keeps each table in a LokiJS collection indexed on PartitionKey and RowKey, but
// LokiJS uses an index only for the first condition of a query. Azurite looks entities up as
// {RowKey, PartitionKey}, so a point read of a row key shared by every referral ("state",
// "event|0000000001") walks all of them, and it answers every $filter query by walking the whole
// table. Both grow with the table; on real Table Storage neither does. With 100,000 referrals
// the benchmark could not even load its data in an afternoon.
//
// What changes: only the order in which conditions are applied; never which entities match.
//  * Point lookups (findOne with both keys) start from whichever key's index range is smaller.
//  * A query whose filter requires `PartitionKey eq '<value>'` (joined by `and` alone, as the task
//    hub's history reads `PartitionKey eq 'x' and (RowKey eq 'sentinel' or ExecutionId eq 'y')`)
//    starts from that partition; Azurite's own filter then runs over it as before. LokiJS's equality range is a superset of string equality, so nothing is lost.
// Everything else goes through untouched. Tests: scripts/azurite/partition-lookup.test.cjs.
"use strict";

/**
 * The value of a `PartitionKey eq '...'` condition that every match of an OData filter must meet:
 * one joined to the rest by `and` alone, at the top level or inside parentheses that are themselves
 * so joined (`PartitionKey eq 'a' and (RowKey eq 'b' or Kind eq 'c')` pins 'a'). Undefined when
 * there is none, when an `or` or `not` stands beside it, or when the filter is malformed.
 */
function pinnedPartition(filter) {
  if (typeof filter !== "string" || filter.length === 0) return undefined;
  const tokens = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= filter.length) return undefined; // unterminated: leave it to Azurite
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += filter[i++];
      }
      tokens.push({ literal: value });
    } else if (c === "(" || c === ")") {
      tokens.push({ word: c });
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      let word = "";
      while (i < filter.length && !/[\s()']/.test(filter[i])) word += filter[i++];
      tokens.push({ word });
    }
  }

  // Each parenthesised group (and the whole filter) is clean when no `or` or `not` stands at its own
  // level; a condition inside groups that are all clean is a conjunct of the whole filter.
  const open = [{ clean: true }];
  const conditions = [];
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t].word;
    if (word === undefined) continue;
    if (word === "(") {
      open.push({ clean: true });
      continue;
    }
    if (word === ")") {
      if (open.length === 1) return undefined; // unbalanced: leave it to Azurite
      open.pop();
      continue;
    }
    const lower = word.toLowerCase();
    if (lower === "or" || lower === "not") {
      open[open.length - 1].clean = false;
      continue;
    }
    // A typed literal (guid'..', datetime'..', X'..') tokenises as a word first, so it never pins.
    if (word === "PartitionKey" && tokens[t + 1] && tokens[t + 1].word === "eq" && tokens[t + 2] && tokens[t + 2].literal !== undefined) {
      conditions.push({ value: tokens[t + 2].literal, within: open.slice() });
    }
  }
  if (open.length !== 1) return undefined;

  let pinned;
  for (const condition of conditions) {
    if (!condition.within.every(group => group.clean)) continue;
    if (pinned !== undefined && pinned !== condition.value) return undefined; // contradictory: let Azurite answer
    pinned = condition.value;
  }

  return pinned;
}

/** Installs the reordering on the given LokiJS module and Azurite table store class. */
function install(Loki, TableStore) {
  const collection = Loki.Collection.prototype;
  if (collection.__partitionLookup) return;
  collection.__partitionLookup = true;

  // LokiJS's equality range in an index: how many entities a condition would start from.
  const rangeSize = (coll, prop, value) => {
    const index = coll.binaryIndices && coll.binaryIndices[prop];
    if (!index || index.dirty || coll.adaptiveBinaryIndices !== true) return Infinity;
    const [lo, hi] = coll.calculateRange("$eq", prop, value);
    return hi - lo + 1;
  };

  const findOne = collection.findOne;
  collection.findOne = function (query) {
    if (query && typeof query === "object" && !Array.isArray(query)
        && Object.prototype.hasOwnProperty.call(query, "PartitionKey")
        && Object.prototype.hasOwnProperty.call(query, "RowKey")
        && typeof query.PartitionKey === "string" && typeof query.RowKey === "string") {
      // Start from whichever key is more selective here: the partition for referral rows, the
      // row key for rows of a few wide partitions (the due-time index).
      const first = rangeSize(this, "PartitionKey", query.PartitionKey) <= rangeSize(this, "RowKey", query.RowKey) ? "PartitionKey" : "RowKey";
      if (Object.keys(query)[0] !== first) {
        const reordered = { [first]: query[first] };
        for (const key of Object.keys(query)) if (key !== first) reordered[key] = query[key];
        query = reordered;
      }
    }
    return findOne.call(this, query);
  };

  // queryTableEntities builds its chain synchronously before its first await, so the partition
  // read from its filter is handed to that one chain() call and to no other.
  let pending;
  const chain = collection.chain;
  collection.chain = function (...args) {
    const result = chain.apply(this, args);
    if (pending !== undefined && this.binaryIndices && this.binaryIndices.PartitionKey) {
      const partition = pending;
      pending = undefined;
      result.find({ PartitionKey: partition });
    }
    return result;
  };

  const query = TableStore.prototype.queryTableEntities;
  TableStore.prototype.queryTableEntities = function (context, account, table, queryOptions, ...rest) {
    pending = pinnedPartition(queryOptions && queryOptions.filter);
    try {
      return query.call(this, context, account, table, queryOptions, ...rest);
    } finally {
      pending = undefined;
    }
  };
}

module.exports = { pinnedPartition, install };
