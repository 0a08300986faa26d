// The benchmark's preload for Azurite (node --require, when HH_AZURITE_PRELOAD=1; scripts/lib.sh):
// patches the LokiJS and the table store that Azurite itself loads, so that its cost per request
// does not grow with the number of entities and queue messages it holds, as real Storage's does
// not. What Azurite stores and answers does not change (each part's test checks that):
//  * partition-lookup.cjs: point reads and partition queries start from the partition;
//  * index-upkeep.cjs: small batches keep the indexes sorted instead of sorting them again;
//  * queue-lookup.cjs: a queue call reads the queue's visible (or expired) messages through an
//    index, not every message.
"use strict";

const path = require("path");

if (process.env.HH_AZURITE_PRELOAD === "1") {
  const azurite = path.dirname(require.resolve("azurite/package.json", { paths: [process.cwd(), path.join(__dirname, "..", "..")] }));
  const Loki = require(require.resolve("lokijs", { paths: [azurite] }));
  const TableStore = require(path.join(azurite, "dist", "src", "table", "persistence", "LokiTableMetadataStore.js")).default;
  require("./partition-lookup.cjs").install(Loki, TableStore);
  require("./index-upkeep.cjs").install(Loki);
  require("./queue-lookup.cjs").install(Loki);
}
