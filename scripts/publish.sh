#!/usr/bin/env bash
# Builds the deployable Functions package: artifacts/publish/ holds the isolated-worker app
# (functions/HandInHand.Functions) self-contained for linux-x64, with host.json, functions.metadata,
# worker.config.json, extensions.json and the host-side extensions in .azurefunctions/;
# artifacts/handinhand-functions.zip is that folder zipped, ready for
#   az functionapp deployment source config-zip -g <group> -n <app> --src artifacts/handinhand-functions.zip
# Restores in locked mode: the lock files carry the linux-x64 graph.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

out="$HH_ROOT/artifacts/publish"
zip_path="$HH_ROOT/artifacts/handinhand-functions.zip"
export MSBUILDDISABLENODEREUSE=1
rm -rf "$out" "$zip_path"
mkdir -p "$out"

hh_log "publishing the Functions app (Release, linux-x64, self-contained)"
dotnet publish functions/HandInHand.Functions/HandInHand.Functions.csproj --nologo --verbosity quiet \
  -c Release -r linux-x64 --self-contained true -p:RestoreLockedMode=true -p:DebugType=none \
  -o "$out"

# appsettings.Development.json holds development-only keys; Azure never runs as Development.
rm -f "$out/appsettings.Development.json"
# The repository's host.json is the one deployed (the project does not carry a copy of its own).
cp host.json "$out/"

# The layout the Functions host loads: refuse to package anything else.
for file in host.json functions.metadata worker.config.json extensions.json appsettings.json HandInHand.Functions.dll; do
  [ -f "$out/$file" ] || { hh_log "the publish output has no $file"; exit 1; }
done
[ -d "$out/.azurefunctions" ] || { hh_log "the publish output has no .azurefunctions/"; exit 1; }
grep -q '"customHandler"' "$out/host.json" && { hh_log "host.json still configures a custom handler"; exit 1; }
functions=$(grep -c '"entryPoint"' "$out/functions.metadata")

# -y keeps symbolic links as they are; the executable bits survive for the self-contained runtime.
(cd "$out" && zip -q -r -X -y "$zip_path" .)
hh_log "package: $zip_path ($(du -h "$zip_path" | cut -f1)), $functions functions"
