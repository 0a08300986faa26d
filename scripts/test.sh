#!/usr/bin/env bash
# Runs every test on a fresh clone: installs the pinned Azurite and Debian's Chromium if missing,
# starts its own in-memory Azurite on free loopback ports, runs the whole solution's tests, and
# stops Azurite whatever happens. Extra arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

hh_ensure_azurite
hh_ensure_chromium
trap hh_stop_azurite EXIT
trap 'exit 130' INT TERM
hh_start_azurite "" "$(hh_free_port)" "$(hh_free_port)" "$(hh_free_port)"
export HANDINHAND_TEST_STORAGE="$HH_STORAGE_CONNECTION"

dotnet test HandInHand.Functions.sln --nologo --verbosity minimal \
  --logger "console;verbosity=normal" "$@"
