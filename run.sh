#!/usr/bin/env bash
# Starts Genie Mentor on this machine: installs what is missing, builds, and runs Genie.AppHost
# (.NET Aspire), which brings up PostgreSQL, the four services, the portal and the Aspire dashboard.
# Ctrl-C stops everything.
# Usage: ./run.sh [--Genie:Replicas:agent=2] [--Genie:Portal:Port=5080] [--Section:Key=value ...]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET 10 SDK (dotnet) is not installed: install it from https://dot.net (version in global.json)" >&2
  exit 1
fi

bash scripts/install-deps.sh </dev/null

# The Aspire dashboard, over plain HTTP on loopback (there is no trusted development certificate here).
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:18888}"
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="${ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL:-http://localhost:18889}"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="${ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL:-http://localhost:18890}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"

# Build the AppHost and, through its project references, every service once; then run the AppHost
# itself (no `dotnet run` wrapper process). It prints the dashboard's login URL, then the portal's.
dotnet build Genie.AppHost/Genie.AppHost.csproj -c Release -nologo -v quiet -clp:NoSummary </dev/null
exec dotnet Genie.AppHost/bin/Release/net10.0/Genie.AppHost.dll "$@"
