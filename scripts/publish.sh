#!/usr/bin/env bash
# Builds the deployable Functions package: artifacts/publish/ holds the app self-contained for
# linux-x64 (the executable HandInHand.Host that host.json names), host.json and one folder per
# function (from functionapp/); artifacts/handinhand-functions.zip is that folder zipped, ready for
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

hh_log "publishing the host (Release, linux-x64, self-contained)"
dotnet publish functions/HandInHand.Host/HandInHand.Host.csproj --nologo --verbosity quiet \
  -c Release -r linux-x64 --self-contained true -p:RestoreLockedMode=true -p:DebugType=none \
  -o "$out"

# appsettings.Development.json holds development-only keys; Azure never runs as Development.
rm -f "$out/appsettings.Development.json"
cp host.json "$out/"
for dir in functionapp/*/; do
  name="$(basename "$dir")"
  if [ -e "$out/$name" ]; then
    hh_log "function folder $name collides with a published file"; exit 1
  fi
  mkdir -p "$out/$name"
  cp "$dir/function.json" "$out/$name/"
done
chmod +x "$out/HandInHand.Host"

# The zip keeps the executable bit (the Functions host starts HandInHand.Host directly).
(cd "$out" && zip -q -r -X "$zip_path" .)
hh_log "package: $zip_path ($(du -h "$zip_path" | cut -f1)), $(ls -d functionapp/*/ | wc -l) functions"
