// Checks the benchmark's Azurite preload against Azurite's own table store, in process:
// every lookup and query answers exactly what it answered before the preload was installed.
// Run: node --test scripts/azurite/partition-lookup.test.cjs (scripts/test.sh runs it).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const { pinnedPartition, install } = require("./partition-lookup.cjs");

const azurite = path.dirname(require.resolve("azurite/package.json", { paths: [path.join(__dirname, "..", "..")] }));
const Loki = require(require.resolve("lokijs", { paths: [azurite] }));
const TableStore = require(path.join(azurite, "dist", "src", "table", "persistence", "LokiTableMetadataStore.js")).default;

test("a pure conjunction with PartitionKey eq pins that partition", () => {
  assert.equal(pinnedPartition("PartitionKey eq 'a'"), "a");
  assert.equal(pinnedPartition("PartitionKey eq 'BM-2026-000001' and RowKey gt 'event|' and RowKey lt 'event|~'"), "BM-2026-000001");
  assert.equal(pinnedPartition("(RowKey le '5') and (PartitionKey eq 'it''s')"), "it's");
  assert.equal(pinnedPartition("Kind eq 'x' and PartitionKey eq ''"), "");
  assert.equal(pinnedPartition("PartitionKey eq 'a or b'"), "a or b");
  assert.equal(pinnedPartition("PartitionKey eq 'i1' and (RowKey eq 'sentinel' or ExecutionId eq 'e1')"), "i1");
  assert.equal(pinnedPartition("(PartitionKey eq 'a') and (RowKey eq 'b' or not (Kind eq 'c'))"), "a");
  assert.equal(pinnedPartition("((PartitionKey eq 'a' and Kind eq 'x')) and RowKey gt '1'"), "a");
});

test("anything else leaves the query to Azurite", () => {
  for (const filter of [
    undefined,
    "",
    "RowKey eq 'state'",
    "PartitionKey eq 'a' or PartitionKey eq 'b'",
    "PartitionKey eq 'a' and RowKey eq 'x' OR RowKey eq 'y'",
    "not (PartitionKey eq 'a')",
    "PartitionKey ne 'a'",
    "PartitionKey gt 'a'",
    "PartitionKey eq guid'00000000-0000-0000-0000-000000000000'",
    "PartitionKey eq 'a' and PartitionKey eq 'b'",
    "PartitionKey eq 'unterminated",
    "(PartitionKey eq 'a' or RowKey eq 'x') and Kind eq 'y'",
    "(PartitionKey eq 'a' and Kind eq 'b') or RowKey eq 'c'",
    "not (PartitionKey eq 'a' and Kind eq 'b')",
    "Kind eq 'y' and (RowKey eq 'x' or (PartitionKey eq 'a'))",
    "(PartitionKey eq 'a'",
    "PartitionKey eq 'a')",
  ]) {
    assert.equal(pinnedPartition(filter), undefined, String(filter));
  }
});

test("lookups and queries answer the same with the preload as without it", async () => {
  const store = new TableStore(path.join(require("os").tmpdir(), "hh-partition-lookup"), true);
  await store.init();
  const context = {};
  const account = "devstoreaccount1";
  const table = "Lookup";
  await store.createTable(context, { account, table });
  // Keys that LokiJS orders unlike strings (numbers, empty strings) sit beside ordinary ones.
  const partitions = ["", "0", "00", "1", "01", "1.0", "10", "9", "a", "A", "a b", "it's", "BM-2026-000001", "BM-2026-000002", "ü", "-1", "1e3", "1000"];
  const rows = ["", "state", "event|0000000001", "event|0000000002", "2", "10", "form", "outbox|x"];
  let n = 0;
  for (const PartitionKey of partitions) {
    for (const RowKey of rows) {
      if (n++ % 3 === 2) continue; // some pairs absent
      await store.insertTableEntity(context, table, account, {
        PartitionKey,
        RowKey,
        properties: { PartitionKey, RowKey, Kind: n % 2 === 0 ? "even" : "odd" },
        lastModifiedTime: new Date(0),
        eTag: `W/"${n}"`,
      });
    }
  }

  // One wide partition, as in the due-time index, where the row key is the better start.
  const wide = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(19, "0")}|w`);
  for (const RowKey of wide) {
    await store.insertTableEntity(context, table, account, {
      PartitionKey: "due-00", RowKey, properties: { PartitionKey: "due-00", RowKey, Kind: "due" }, lastModifiedTime: new Date(0), eTag: `W/"w"`,
    });
  }

  const probes = [...partitions, "b", "2", "0.0", "1e0", "due-00"];
  const filters = [];
  for (const p of probes) {
    const q = p.replace(/'/g, "''");
    filters.push(`PartitionKey eq '${q}' and (RowKey eq 'state' or Kind eq 'odd')`, `(PartitionKey eq '${q}' or Kind eq 'due') and RowKey gt '1'`,
      `PartitionKey eq '${q}'`, `PartitionKey eq '${q}' and RowKey gt 'event|' and RowKey lt 'event|~'`, `(Kind eq 'even') and PartitionKey eq '${q}'`, `PartitionKey eq '${q}' or RowKey eq 'state'`);
  }

  const answers = async () => {
    const found = [];
    for (const p of probes) {
      for (const r of [...rows, ...wide.slice(0, 3), "missing"]) {
        const doc = await store.queryTableEntitiesWithPartitionAndRowKey(context, table, account, p, r);
        found.push(doc ? `${doc.PartitionKey}/${doc.RowKey}` : "-");
      }
    }
    for (const filter of filters) {
      const [result] = await store.queryTableEntities(context, account, table, { filter }, undefined, undefined);
      found.push(filter + " => " + result.map(e => `${e.PartitionKey}/${e.RowKey}`).join(","));
    }
    return found;
  };

  const before = await answers();
  install(Loki, TableStore);
  const after = await answers();
  assert.deepEqual(after, before);
  assert.ok(before.some(line => line.includes("=> ") && !line.endsWith("=> ")), "the queries found something");
  await store.close();
});
