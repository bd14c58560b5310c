#!/usr/bin/env bash
# Usage: scripts/backup.sh FILE
# Writes one file holding the genie database (pg_dump -Fc: every schema) and the local state the app
# needs to read it: .genie/signing-key (stored credentials are encrypted with a key derived from it
# unless Genie:Secrets:Key is set) and .genie/admin.json (the first admin's sign-in). See README.
set -euo pipefail
source "$(dirname "$0")/genie-database.sh"

[ $# -eq 1 ] || fail "usage: scripts/backup.sh FILE"
target="$1"
[ -d "$(dirname "$target")" ] || fail "folder $(dirname "$target") does not exist"

select_database 0
psql -X -d postgres -Atc "select 1 from pg_database where datname = '$PGDATABASE'" | grep -q 1 \
  || fail "database $PGDATABASE does not exist on $describe_target"

work="$(mktemp -d)"
trap 'rm -rf "$work"; stop_started_cluster' EXIT
if ! pg_dump -Fc --no-owner -f "$work/genie.dump" 2> "$work/err"; then
  grep -q "server version mismatch" "$work/err" \
    && fail "pg_dump $(pg_dump --version | awk '{print $3}') is older than the server: $(grep -m1 'server version' "$work/err" | sed 's/.*DETAIL: *//')"
  fail "pg_dump failed: $(head -1 "$work/err")"
fi
{
  echo "genie-backup 1"
  echo "created $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "server $(psql -X -Atc 'show server_version')"
} > "$work/MANIFEST"
files=(MANIFEST genie.dump)
for f in signing-key admin.json; do
  [ -f "$STATE/$f" ] && cp -p "$STATE/$f" "$work/$f" && files+=("$f")
done
umask 077 # the signing key is a secret: the backup is readable by its owner only
tar -C "$work" -czf "$target.partial" "${files[@]}"
mv "$target.partial" "$target"
echo "backed up database $PGDATABASE from $describe_target and ${files[*]:2} to $target"
