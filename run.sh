#!/usr/bin/env bash
# Starts Genie Mentor on this machine: installs what is missing, builds, and runs Genie.AppHost,
# which brings up PostgreSQL, the four services and the portal. Ctrl-C stops everything.
# Usage: ./run.sh [--replicas agent=2] [--Section:Key=value ...]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET 10 SDK (dotnet) is not installed: install it from https://dot.net (version in global.json)" >&2
  exit 1
fi

bash scripts/install-deps.sh </dev/null

# `dotnet run` builds the AppHost and, through its project references, every service once;
# the AppHost then runs the built service assemblies as child processes.
exec dotnet run --project Genie.AppHost -c Release -- "$@"
