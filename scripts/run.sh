#!/usr/bin/env bash
# Runs the app on a fresh clone: installs the pinned Azurite, starts it on loopback with its data
# under .azurite/ in the repository, runs the host on http://localhost:7071 (or ASPNETCORE_URLS)
# in the Development environment, and stops Azurite when the app stops (Ctrl+C).
# Azurite's ports: HH_AZURITE_TABLE_PORT, HH_AZURITE_QUEUE_PORT, HH_AZURITE_BLOB_PORT (default
# 10002, 10001, 10000); a port already in use stops the run before the app starts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

hh_ensure_azurite
trap hh_stop_azurite EXIT
trap 'exit 130' INT TERM
# By default the Storage emulator's own ports, so `UseDevelopmentStorage=true` reaches it too.
hh_start_azurite "$HH_ROOT/.azurite" "${HH_AZURITE_TABLE_PORT:-10002}" "${HH_AZURITE_QUEUE_PORT:-10001}" "${HH_AZURITE_BLOB_PORT:-10000}"

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Storage__ConnectionString="$HH_STORAGE_CONNECTION"
dotnet run --project functions/HandInHand.Host -- "$@"
