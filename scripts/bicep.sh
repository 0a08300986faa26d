#!/usr/bin/env bash
# Runs the Bicep CLI that the build restores from NuGet (Azure.Bicep.CommandLine.linux-x64, pinned in
# Directory.Packages.props), so that a developer, CI and the tests compile with the same version.
#   scripts/bicep.sh build       compiles infra/main.bicep into infra/main.json (commit both together)
#   scripts/bicep.sh lint        lints infra/main.bicep (the tests fail on any finding)
#   scripts/bicep.sh -- ARGS...  anything else the CLI takes, e.g. -- --version
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HH_ROOT"

project=tests/HandInHand.Host.Tests/HandInHand.Host.Tests.csproj
# The test project carries the package reference (and its lock file the hash); restoring it fetches the CLI.
dotnet restore "$project" --verbosity quiet >&2
bicep=$(dotnet msbuild "$project" -nologo -getProperty:BicepCli)
if [ ! -f "$bicep" ]; then
  hh_log "the Bicep CLI is not where NuGet should have put it: $bicep"
  exit 1
fi
# NuGet's extraction may leave the binary without its executable bit.
[ -x "$bicep" ] || chmod +x "$bicep"

case "${1:-}" in
  build) exec "$bicep" build infra/main.bicep --outfile infra/main.json ;;
  lint) exec "$bicep" lint infra/main.bicep ;;
  --) shift; exec "$bicep" "$@" ;;
  *) hh_log "usage: scripts/bicep.sh build | lint | -- ARGS..."; exit 2 ;;
esac
