#!/usr/bin/env bash
# Time from `./run.sh` to "All resources healthy" on a warm build (and a warm local PostgreSQL
# cluster), the AppHost's own share of it, and the idle memory (RSS) of each service.
# Prints median and p95 over N runs, with the core count and load.
# Usage: bench/apphost-startup.sh [runs=5] [idle-seconds=15]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
idle="${2:-15}"
state="$(mktemp -d -t genie-bench-state.XXXXXX)"
chmod 755 "$state" # the embedded cluster runs as the postgres OS user when we are root
samples="$state/samples"
trap 'rm -rf "$state"' EXIT
export Genie__StateDirectory="$state" Genie__AppHost__Plain=true

run_once() { # $1: run number; appends "key value" lines to $samples unless it is the warm-up (0)
  local log="$state/run-$1.log" start pid healthy
  start="$(date +%s.%N)"
  setsid ./run.sh >"$log" 2>&1 </dev/null &
  pid=$!
  until grep -q "All resources healthy" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "run.sh ended before every resource was healthy" >&2; exit 1; }
    (( $(echo "$(date +%s.%N) - $start > 600" | bc) )) && { kill -TERM -- "-$pid"; echo "not healthy within 600 s" >&2; exit 1; }
    sleep 0.1
  done
  healthy="$(date +%s.%N)"
  sleep "$idle"
  if [[ "$1" != 0 ]]; then
    echo "run.sh-to-healthy $(echo "$healthy - $start" | bc)" >>"$samples"
    echo "apphost-to-healthy $(grep -o 'All resources healthy after [0-9.]*' "$log" | grep -o '[0-9.]*$')" >>"$samples"
    for file in "$state"/run/*.pid; do
      local rss
      rss="$(awk '/^VmRSS/ {print $2}' "/proc/$(cat "$file")/status")"
      echo "idle-rss-MiB:$(basename "$file" .pid) $(echo "scale=1; $rss / 1024" | bc)" >>"$samples"
    done
  fi
  # SIGTERM, not SIGINT: a background job of a script starts with SIGINT ignored.
  kill -TERM -- "-$pid"
  wait "$pid" || true
  while pgrep -g "$pid" >/dev/null; do sleep 0.2; done # the AppHost finishes stopping everything
}

echo "apphost-startup: warm-up run (build, cluster creation), then $runs measured runs, ${idle}s idle each"
for i in $(seq 0 "$runs"); do run_once "$i"; done

echo "cores: $(nproc)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %8s  (n=%s)\n' metric median p95 "$runs"
for key in $(cut -d' ' -f1 "$samples" | sort -u); do
  values="$(awk -v k="$key" '$1 == k {print $2}' "$samples" | sort -n)"
  count="$(echo "$values" | wc -l)"
  median="$(echo "$values" | sed -n "$(( (count + 1) / 2 ))p")"
  p95="$(echo "$values" | sed -n "$(( (count * 95 + 99) / 100 ))p")"
  unit=s; [[ "$key" == idle-rss* ]] && unit=""
  printf '%-28s %8s %8s %s\n' "$key" "$median" "$p95" "$unit"
done
