# Shared by scripts/run.sh, scripts/test.sh and .ci/run: tool installation and the Azurite lifecycle.
# Source it; it defines functions and changes nothing by itself.

HH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The well-known development account of the Storage emulator (public, documented by Microsoft).
HH_DEV_ACCOUNT=devstoreaccount1
HH_DEV_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

hh_log() { printf '[handinhand] %s\n' "$*" >&2; }

# Installs the pinned Azurite and axe-core (the browser tests' accessibility check) from
# package-lock.json when node_modules is missing or stale.
hh_ensure_azurite() {
  local stamp="$HH_ROOT/node_modules/.package-lock.json"
  if [ ! -x "$HH_ROOT/node_modules/.bin/azurite" ] || [ ! -f "$HH_ROOT/node_modules/axe-core/axe.min.js" ] || [ "$HH_ROOT/package-lock.json" -nt "$stamp" ]; then
    hh_log "installing Azurite and axe-core (npm ci)"
    (cd "$HH_ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# Installs Debian's Chromium for the browser tests when it is missing (Playwright must never download one).
hh_ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = 0 ]; then
    hh_log "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  else
    hh_log "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)"
    return 1
  fi
}

hh_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# hh_port_free <port>: succeeds when nothing listens on 127.0.0.1:<port> (binding it is the only sure test).
hh_port_free() {
  node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(Number(process.argv[1]),"127.0.0.1",()=>s.close(()=>process.exit(0)));' "$1"
}

# hh_start_azurite <data-dir|""> <table-port> <queue-port> <blob-port>
# An empty data dir keeps everything in memory. Sets HH_AZURITE_PID and HH_STORAGE_CONNECTION.
hh_start_azurite() {
  local data="$1" tport="$2" qport="$3" bport="$4" log
  # A port already taken (often another Azurite) would answer the readiness check below, and the
  # app would then use someone else's storage: stop instead, naming the port and how to choose another.
  local taken=0 role port variable
  for role in table:"$tport":HH_AZURITE_TABLE_PORT queue:"$qport":HH_AZURITE_QUEUE_PORT blob:"$bport":HH_AZURITE_BLOB_PORT; do
    IFS=: read -r role port variable <<<"$role"
    if ! hh_port_free "$port"; then
      hh_log "Azurite's $role port $port is already in use on 127.0.0.1 (another Azurite?); choose another with $variable=<port>"
      taken=1
    fi
  done
  if [ "$taken" = 1 ]; then
    hh_log "Azurite not started, so the app cannot reach someone else's storage by mistake (README, "Two commands")"
    return 1
  fi
  local args=(--silent --disableProductStyleUrl --skipApiVersionCheck
              --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
              --blobPort "$bport" --queuePort "$qport" --tablePort "$tport")
  if [ -n "$data" ]; then
    mkdir -p "$data"
    args+=(--location "$data")
    log="$data/azurite.log"
  else
    args+=(--inMemoryPersistence)
    log="$(mktemp -t azurite.XXXXXX.log)"
  fi
  # HH_AZURITE_PRELOAD=1 (the benchmark's choice) preloads scripts/azurite/preload.cjs,
  # which lets Azurite use its own indexes and keep them sorted; what it answers does not change.
  local preload=()
  if [ "${HH_AZURITE_PRELOAD:-}" = 1 ]; then
    preload=(--require "$HH_ROOT/scripts/azurite/preload.cjs")
  fi
  # HH_AZURITE_NODE_FLAGS adds flags for Node, e.g. "--prof --logfile=/tmp/azurite.v8.log
  # --no-logfile-per-isolate" to see where Azurite spends its time (node --prof-process reads it).
  # setsid puts Azurite in its own process group so that stopping it takes every child with it.
  setsid node ${HH_AZURITE_NODE_FLAGS:-} "${preload[@]}" "$HH_ROOT/node_modules/azurite/dist/src/azurite.js" "${args[@]}" >"$log" 2>&1 &
  HH_AZURITE_PID=$!
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$HH_AZURITE_PID" 2>/dev/null; then
      hh_log "Azurite exited during start-up:"; cat "$log" >&2; return 1
    fi
    if node -e "require('net').connect($tport,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; then
      HH_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=$HH_DEV_ACCOUNT;AccountKey=$HH_DEV_KEY;TableEndpoint=http://127.0.0.1:$tport/$HH_DEV_ACCOUNT;QueueEndpoint=http://127.0.0.1:$qport/$HH_DEV_ACCOUNT;BlobEndpoint=http://127.0.0.1:$bport/$HH_DEV_ACCOUNT;"
      hh_log "Azurite is up (pid $HH_AZURITE_PID, tables on 127.0.0.1:$tport)"
      return 0
    fi
    sleep 0.1
  done
  hh_log "Azurite did not start within 10 s"; hh_stop_azurite; return 1
}

# Stops Azurite's whole process group: SIGTERM, then SIGKILL after a short wait, since Azurite
# does not always exit promptly on SIGTERM.
hh_stop_azurite() {
  [ -n "${HH_AZURITE_PID:-}" ] || return 0
  kill -TERM -- "-$HH_AZURITE_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 30); do
    kill -0 "$HH_AZURITE_PID" 2>/dev/null || { HH_AZURITE_PID=; return 0; }
    sleep 0.1
  done
  kill -KILL -- "-$HH_AZURITE_PID" 2>/dev/null || true
  wait "$HH_AZURITE_PID" 2>/dev/null || true
  HH_AZURITE_PID=
}
