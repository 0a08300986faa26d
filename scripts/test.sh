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
node --test scripts/azurite/partition-lookup.test.cjs scripts/azurite/index-upkeep.test.cjs scripts/azurite/queue-lookup.test.cjs scripts/run.test.cjs >&2

results="$HH_ROOT/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test HandInHand.Functions.sln --nologo --verbosity minimal \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?

# One closing line over every test project, read from the TRX counters.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${t:-0} - ${x:-0}))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  hh_log "no test ran"; status=1
fi
exit "$status"
