#!/usr/bin/env bash
# The benchmark command, kept apart from the test run: builds Release, starts its own in-memory
# Azurite on free loopback ports, measures intake, orchestrations started and completed, command
# round trips, timer lag and the host's memory in one run (ratios against baselines taken in the
# same run), prints a Markdown table and writes artifacts/bench/bench.json. Arguments go to the
# benchmark, e.g. --referrals 500 --due-timers 100 --commands 50 --intake-seconds 10 (defaults:
# --referrals 10000 --due-timers 1000 --commands 200 --intake-seconds 20 --workers 8 --load-workers 16).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

hh_ensure_azurite
export MSBUILDDISABLENODEREUSE=1
cleanup() { hh_stop_azurite; dotnet build-server shutdown >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

hh_log "building the benchmark (Release)"
dotnet build tools/HandInHand.Benchmark/HandInHand.Benchmark.csproj -c Release --nologo --verbosity quiet >&2
# Azurite walks a whole table for any point read whose row key many partitions share ("state")
# and for every partition query, and sorts every index of its queue messages again on each
# dequeue; the preload lets it use its own indexes and keep them sorted instead
# (scripts/azurite/preload.cjs; results unchanged, checked by the test run).
export HH_AZURITE_PRELOAD=1
hh_start_azurite "" "$(hh_free_port)" "$(hh_free_port)" "$(hh_free_port)"
export HANDINHAND_BENCH_STORAGE="$HH_STORAGE_CONNECTION"
export HANDINHAND_BENCH_AZURITE="$(node -p 'require("./node_modules/azurite/package.json").version')"
mkdir -p artifacts/bench
out=artifacts/bench/bench.json
# The staff views mode (issue 14), e.g. --staff-views 1000,10000,100000 [--samples 20]: the case
# board loaded to each size in turn, every staff view timed through the host against a partition
# query and a point read; writes artifacts/bench/staff-views.json instead.
if [[ " $* " == *" --staff-views "* ]]; then out=artifacts/bench/staff-views.json; fi
dotnet tools/HandInHand.Benchmark/bin/Release/net10.0/HandInHand.Benchmark.dll --out "$out" "$@"
