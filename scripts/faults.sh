#!/usr/bin/env bash
# The long fault-injection run: ./scripts/faults.sh [SEED] [SECONDS]   (defaults: 8 and 600)
# Runs the fault-injection test with that seed and length (storage faults through the seeded
# proxy, the host killed with SIGKILL at random moments, emails to a loopback SendGrid peer)
# against its own Azurite, then prints the report: seed, faults injected per kind, kills,
# violations. The same seed gives the same fault schedule. Exit status 0 only with no violation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

seed="${1:-8}"
seconds="${2:-600}"
hh_ensure_azurite
export MSBUILDDISABLENODEREUSE=1
cleanup() { hh_stop_azurite; dotnet build-server shutdown >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
hh_start_azurite "" "$(hh_free_port)" "$(hh_free_port)" "$(hh_free_port)"
export HANDINHAND_TEST_STORAGE="$HH_STORAGE_CONNECTION"
export HANDINHAND_FAULT_SEED="$seed" HANDINHAND_FAULT_SECONDS="$seconds"
mkdir -p artifacts/faults
export HANDINHAND_FAULT_REPORT="$HH_ROOT/artifacts/faults/report-$seed-$seconds.txt"
rm -f "$HANDINHAND_FAULT_REPORT"
status=0
dotnet test tests/HandInHand.Host.Tests/HandInHand.Host.Tests.csproj --nologo --verbosity quiet \
  --filter "FullyQualifiedName~FaultInjectionTests" >&2 || status=$?
if [ -f "$HANDINHAND_FAULT_REPORT" ]; then
  cat "$HANDINHAND_FAULT_REPORT"
else
  hh_log "the run ended before writing its report"; status=1
fi
exit "$status"
