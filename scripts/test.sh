#!/usr/bin/env bash
# Runs every test on a fresh clone: installs the pinned Azurite and Debian's Chromium if missing,
# starts its own in-memory Azurite on free loopback ports, runs the whole solution's tests, and
# stops Azurite whatever happens. Extra arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

hh_ensure_azurite
hh_ensure_chromium
# No MSBuild or compiler server outlives the run.
export MSBUILDDISABLENODEREUSE=1
cleanup() { hh_stop_azurite; dotnet build-server shutdown >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
hh_start_azurite "" "$(hh_free_port)" "$(hh_free_port)" "$(hh_free_port)"
export HANDINHAND_TEST_STORAGE="$HH_STORAGE_CONNECTION"

hh_log "checking the benchmark's Azurite preload against Azurite's own table store, and run.sh's ports"
node --test scripts/azurite/partition-lookup.test.cjs scripts/azurite/index-upkeep.test.cjs scripts/azurite/queue-lookup.test.cjs scripts/run.test.cjs scripts/trx-summary.test.cjs >&2

results="$HH_ROOT/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test HandInHand.Functions.sln --nologo --verbosity minimal \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?

# Failed tests with their messages, then one closing line of counts over every test project, read
# from the TRX files: CI keeps only the tail of the output.
summary_status=0
node scripts/trx-summary.cjs "$results" || summary_status=$?
if [ "$status" -eq 0 ] && [ "$summary_status" -ne 0 ]; then
  hh_log "no test ran"; status=1
fi
exit "$status"
