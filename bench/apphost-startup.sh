#!/usr/bin/env bash
# Time from `./run.sh` to the portal being ready (every service healthy: Web waits for the others)
# on a warm build and a warm local PostgreSQL cluster, the AppHost's own share of it (from its first
# log line), and the idle memory (RSS) of every process of the run: the AppHost, DCP, the dashboard,
# DCP's per-resource monitors, the `dotnet run` launcher of each project, each service and PostgreSQL.
# Prints median and p95 over N runs, with the core count and load.
# Usage: bench/apphost-startup.sh [runs=5] [idle-seconds=15]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
idle="${2:-15}"
state="$(mktemp -d -t genie-bench-state.XXXXXX)"
chmod 755 "$state" # the local cluster runs as the postgres OS user when we are root
samples="$state/samples"
trap 'rm -rf "$state"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export Genie__StateDirectory="$state" Genie__Portal__Port="$(free_port)"
export ASPNETCORE_URLS="http://localhost:$(free_port)" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$(free_port)" \
  ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$(free_port)"

now() { date +%s.%N; }

# "name rss-KiB" for every process of the run whose AppHost is $1.
processes() {
  ps -eo pid=,ppid=,rss=,args= | awk -v apphost="$1" '
    { pid[NR]=$1; ppid[NR]=$2; rss[NR]=$3; $1=$2=$3=""; args[NR]=$0; parent[$0]=0; byPid[pid[NR]]=NR }
    END {
      for (i in pid) if (args[i] ~ ("--monitor " apphost " ")) dcp=pid[i]
      for (i in pid) {
        a=args[i]; name=""
        if (pid[i]==apphost) name="apphost"
        else if (pid[i]==dcp) name="dcp-apiserver"
        else if (a ~ /dcp run-controllers/ && ppid[i]==dcp) { name="dcp-controllers"; controllers=pid[i] }
        if (name!="") print name, rss[i]
      }
      for (i in pid) {
        a=args[i]; name=""
        if (ppid[i]!=controllers) continue
        if (a ~ /Aspire.Dashboard/) name="dashboard"
        else if (a ~ /monitor-process/) name="dcp-monitors(sum)"
        else if (a ~ / run --project /) name="dotnet-run-launchers(sum)"
        else if (a ~ /postgres -D/) { name="postgres(sum)"; postmaster=pid[i] }
        if (name!="") print name, rss[i]
        if (a ~ / run --project /) launcher[pid[i]]=1
      }
      for (i in pid) {
        if (ppid[i] in launcher) { n=split(args[i], parts, "/"); split(parts[n], exe, " "); print exe[1], rss[i] }
        if (ppid[i]==postmaster && postmaster!="") print "postgres(sum)", rss[i]
      }
    }' | awk '{ sum[$1]+=$2 } END { for (k in sum) print k, sum[k] }'
}

run_once() { # $1: run number; appends "key value" lines to $samples unless it is the warm-up (0)
  local log="$state/run-$1.log" start pid ready first total
  start="$(now)"
  setsid ./run.sh >"$log" 2>&1 </dev/null &
  pid=$! # run.sh execs the AppHost, so this is the AppHost's process id
  until grep -q "Aspire AppHost version" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "run.sh ended before the AppHost started" >&2; exit 1; }
    sleep 0.05
  done
  first="$(now)"
  until grep -q "^Portal: " "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "the AppHost ended before the portal was ready" >&2; exit 1; }
    (( $(echo "$(now) - $start > 600" | bc) )) && { kill -TERM -- "-$pid"; echo "not ready within 600 s" >&2; exit 1; }
    sleep 0.05
  done
  ready="$(now)"
  sleep "$idle"
  if [[ "$1" != 0 ]]; then
    echo "run.sh-to-portal-ready $(echo "$ready - $start" | bc)" >>"$samples"
    echo "apphost-to-portal-ready $(echo "$ready - $first" | bc)" >>"$samples"
    total=0
    while read -r name rss; do
      echo "idle-rss-MiB:$name $(echo "scale=1; $rss / 1024" | bc)" >>"$samples"
      total=$((total + rss))
    done < <(processes "$pid")
    echo "idle-rss-MiB:total $(echo "scale=1; $total / 1024" | bc)" >>"$samples"
  fi
  local dcp
  dcp="$(pgrep -f -- "--monitor $pid " || true)"
  # SIGTERM, not SIGINT: a background job of a script starts with SIGINT ignored.
  kill -TERM -- "-$pid"
  wait "$pid" || true
  while [[ -n "$dcp" ]] && kill -0 "$dcp" 2>/dev/null; do sleep 0.2; done # DCP finishes stopping everything
}

echo "apphost-startup: warm-up run (build, cluster creation), then $runs measured runs, ${idle}s idle each"
for i in $(seq 0 "$runs"); do run_once "$i"; done

echo "cores: $(nproc)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %8s  (n=%s)\n' metric median p95 "$runs"
for key in $(cut -d' ' -f1 "$samples" | sort -u); do
  values="$(awk -v k="$key" '$1 == k {print $2}' "$samples" | sort -n)"
  count="$(echo "$values" | wc -l)"
  median="$(echo "$values" | sed -n "$(( (count + 1) / 2 ))p")"
  p95="$(echo "$values" | sed -n "$(( (count * 95 + 99) / 100 ))p")"
  unit=s; [[ "$key" == idle-rss* ]] && unit=""
  printf '%-44s %8s %8s %s\n' "$key" "$median" "$p95" "$unit"
done
