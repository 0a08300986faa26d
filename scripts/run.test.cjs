// Checks scripts/run.sh's ports: a taken Azurite port stops the run with a clear message (before,
// the readiness check reached whatever listened there and the app used someone else's storage),
// chosen ports reach the app's connection string, and ASPNETCORE_URLS reaches the app untouched.
// `dotnet` is replaced by a stub on PATH that records what it was given, so no app is built or run.
// Run: node --test scripts/run.test.cjs (scripts/test.sh runs it).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");

const root = path.join(__dirname, "..");

function listen(port = 0) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function freePort() {
  const server = await listen();
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A directory holding a `dotnet` that writes its arguments and the app's settings to a file, then exits 0. */
function stubDotnet() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hh-run-test-"));
  const record = path.join(dir, "dotnet-ran");
  fs.writeFileSync(path.join(dir, "dotnet"),
    `#!/usr/bin/env bash\nprintf '%s\\n' "args=$*" "storage=$Storage__ConnectionString" "urls=\${ASPNETCORE_URLS:-}" > '${record}'\n`,
    { mode: 0o755 });
  return { dir, record };
}

function run(env) {
  return new Promise((resolve) => {
    const child = spawn("bash", [path.join(root, "scripts", "run.sh")], { cwd: root, env: { ...process.env, ...env }, detached: true });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    child.stdout.on("data", () => {});
    const timer = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } }, 120000);
    child.on("exit", (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

test("a taken table port stops the run with a message naming it, and the app is not started", async () => {
  const taken = await listen();
  const port = taken.address().port;
  const stub = stubDotnet();
  try {
    const result = await run({
      PATH: `${stub.dir}:${process.env.PATH}`,
      HH_AZURITE_TABLE_PORT: String(port),
      HH_AZURITE_QUEUE_PORT: String(await freePort()),
      HH_AZURITE_BLOB_PORT: String(await freePort()),
    });
    assert.notEqual(result.code, 0, "run.sh must fail when the port is taken");
    assert.match(result.stderr, new RegExp(`${port}.*in use`));
    assert.match(result.stderr, /HH_AZURITE_TABLE_PORT/);
    assert.equal(fs.existsSync(stub.record), false, "the app must not start on someone else's storage");
  } finally {
    taken.close();
  }
});

test("chosen ports reach the app's storage connection and ASPNETCORE_URLS is passed through", async () => {
  const stub = stubDotnet();
  const tport = await freePort();
  const result = await run({
    PATH: `${stub.dir}:${process.env.PATH}`,
    HH_AZURITE_TABLE_PORT: String(tport),
    HH_AZURITE_QUEUE_PORT: String(await freePort()),
    HH_AZURITE_BLOB_PORT: String(await freePort()),
    ASPNETCORE_URLS: "http://localhost:8080",
  });
  assert.equal(result.code, 0, result.stderr);
  const recorded = fs.readFileSync(stub.record, "utf8");
  assert.match(recorded, new RegExp(`storage=.*TableEndpoint=http://127\\.0\\.0\\.1:${tport}/`));
  assert.match(recorded, /urls=http:\/\/localhost:8080/);
});

test("no launch profile overrides ASPNETCORE_URLS", () => {
  const settings = JSON.parse(fs.readFileSync(path.join(root, "functions", "HandInHand.Host", "Properties", "launchSettings.json"), "utf8"));
  for (const [name, profile] of Object.entries(settings.profiles ?? {})) {
    assert.equal(profile.applicationUrl, undefined, `profile ${name} sets applicationUrl, which dotnet run turns into ASPNETCORE_URLS`);
    assert.equal((profile.environmentVariables ?? {}).ASPNETCORE_URLS, undefined, `profile ${name} sets ASPNETCORE_URLS`);
  }
});
