#!/usr/bin/env bash
# Builds the solution and runs every test project in it; the last line is "N passed, N failed".
# Usage: ./test.sh            (TEST_PARALLEL=n to change how many test projects run at once)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
repo_root="$(pwd)"
results_dir="$repo_root/TestResults"
parallel="${TEST_PARALLEL:-$(nproc 2>/dev/null || echo 2)}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "test.sh: $*" >&2; exit 1; }

cleanup() {
  # Build servers outlive the build; a CI job must not wait on them.
  if [[ -n "${CI:-}" ]]; then dotnet build-server shutdown >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK (dotnet) is not installed; see global.json for the version"

bash scripts/install-deps.sh </dev/null || fail "scripts/install-deps.sh failed"

# --- build ----------------------------------------------------------------------------------
rm -rf "$results_dir"
mkdir -p "$results_dir"
build_log="$results_dir/build.log"
echo "test.sh: building Genie.sln (Release)"
if ! dotnet build Genie.sln -c Release -nologo </dev/null >"$build_log" 2>&1; then
  errors="$(grep -E ': (error|warning) [A-Z]+[0-9]+' "$build_log" | sort -u || true)"
  if [[ -n "$errors" ]]; then echo "$errors" >&2; else tail -n 60 "$build_log" >&2; fi
  fail "build failed (full log: $build_log)"
fi

# --- discover test projects: the solution's projects that use the test SDK ---------------------
mapfile -t projects < <(
  sed -n -E 's/^Project\("[^"]*"\) = "[^"]*", "([^"]*\.csproj)".*/\1/p' Genie.sln | tr '\\' '/' | while read -r project; do
    [[ -f "$project" ]] || continue
    grep -q '<IsTestProject>false</IsTestProject>' "$project" && continue
    if grep -q -E 'Microsoft\.NET\.Test\.Sdk|<IsTestProject>true</IsTestProject>' "$project"; then echo "$project"; fi
  done
)
(( ${#projects[@]} > 0 )) || fail "no test projects in Genie.sln"

# --- run them, a few at a time ------------------------------------------------------------------
run_project() {
  local project="$1" name dir rc=0 started
  name="$(basename "$project" .csproj)"
  dir="$results_dir/$name"
  mkdir -p "$dir"
  started=$SECONDS
  dotnet test "$project" -c Release --no-build -nologo \
    --results-directory "$dir" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --blame-hang-timeout 15m --blame-hang-dump-type none \
    </dev/null >"$dir/console.log" 2>&1 || rc=$?
  echo "$rc" >"$dir/exit-code"
  echo "test.sh: $name finished in $((SECONDS - started)) s (exit $rc)"
}

echo "test.sh: running ${#projects[@]} test project(s), $parallel at a time"
for project in "${projects[@]}"; do
  while (( $(jobs -rp | wc -l) >= parallel )); do wait -n || true; done
  run_project "$project" &
done
wait

# --- sum the TRX counters (diagnostics go to stdout too, so the summary is reliably the last line) -------------------------------------------------------------------------
counter() { grep -o -E "\b$1=\"[0-9]+\"" <<<"$2" | head -n 1 | grep -o -E '[0-9]+' || echo 0; }

passed=0 failed=0 skipped=0 broken=()
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  dir="$results_dir/$name"
  trx="$dir/$name.trx"
  rc="$(cat "$dir/exit-code")"
  counters="$( [[ -f "$trx" ]] && grep -o -E '<Counters [^>]*>' "$trx" | head -n 1 || true)"
  p=$(counter passed "$counters")
  f=$(( $(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters") ))
  s=$(counter notExecuted "$counters")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  if (( f > 0 )) || [[ "$rc" != 0 || -z "$counters" ]]; then
    broken+=("$name")
    echo "----- $name (exit $rc): $dir/console.log"
    excerpt="$(grep -E -A 30 '^\s*Failed |Test Run Aborted|test run was aborted|Test host process crashed|error (MSB|NETSDK)' "$dir/console.log" || true)"
    if [[ -n "$excerpt" ]]; then head -n 200 <<<"$excerpt"; else tail -n 60 "$dir/console.log"; fi
  fi
done

status=0
if (( ${#broken[@]} > 0 )); then
  echo "test.sh: failing test projects: ${broken[*]}"
  status=1
fi
if (( passed + failed == 0 )); then
  echo "test.sh: no tests ran"
  status=1
fi

summary="$passed passed, $failed failed"
if (( skipped > 0 )); then summary+=", $skipped skipped"; fi
echo "$summary"
exit $status
