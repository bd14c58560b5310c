#!/usr/bin/env bash
# Usage: scripts/restore.sh [--force] FILE
# Restores a file made by scripts/backup.sh: the genie database in one transaction, then the signing
# key and admin sign-in into .genie/. Refuses a database that already holds tables, or a different
# signing key, unless --force. Stop the app first when it runs on the database being restored.
set -euo pipefail
source "$(dirname "$0")/genie-database.sh"

force=0
[ "${1:-}" = --force ] && { force=1; shift; }
[ $# -eq 1 ] || fail "usage: scripts/restore.sh [--force] FILE"
source_file="$1"
[ -f "$source_file" ] || fail "$source_file does not exist"

work="$(mktemp -d)"
trap 'rm -rf "$work"; stop_started_cluster' EXIT
tar -C "$work" -xzf "$source_file" MANIFEST genie.dump 2>/dev/null && [ "$(head -1 "$work/MANIFEST")" = "genie-backup 1" ] \
  || fail "$source_file is not a Genie backup (made by scripts/backup.sh)"
tar -C "$work" -xzf "$source_file" --wildcards 'signing-key' 'admin.json' 2>/dev/null || true
if ! pg_restore -l "$work/genie.dump" > /dev/null 2> "$work/err"; then
  grep -q "unsupported version" "$work/err" \
    && fail "the backup was made by a newer pg_dump than this pg_restore ($(pg_restore --version | awk '{print $3}')): $(head -1 "$work/err")"
  fail "$source_file holds a damaged database dump: $(head -1 "$work/err")"
fi

# The signing key is checked before anything is written: a restore without it leaves stored
# credentials that cannot be decrypted.
if [ -f "$work/signing-key" ] && [ -f "$STATE/signing-key" ] && ! cmp -s "$work/signing-key" "$STATE/signing-key" && [ $force = 0 ]; then
  fail "$STATE/signing-key differs from the backup's; use --force to replace it (the current key's encrypted secrets become unreadable)"
fi

select_database 1
[ "$cluster_was_running" = 0 ] || fail "the app is running on $STATE/postgres: stop it first, then restore"
exists="$(psql -X -d postgres -Atc "select count(*) from pg_database where datname = '$PGDATABASE'")"
clean=()
if [ "$exists" = 0 ]; then
  psql -X -q -d postgres -c "create database \"$PGDATABASE\"" || fail "cannot create database $PGDATABASE"
else
  tables="$(psql -X -Atc "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")"
  if [ "$tables" != 0 ]; then
    [ $force = 1 ] || fail "database $PGDATABASE on $describe_target already holds $tables tables; use --force to replace them"
    clean=(--clean --if-exists)
  fi
fi
pg_restore --single-transaction --exit-on-error --no-owner "${clean[@]}" -d "$PGDATABASE" "$work/genie.dump" 2> "$work/err" \
  || fail "restore failed, database unchanged: $(grep -m1 -i error "$work/err" || head -1 "$work/err")"

mkdir -p "$STATE"
restored=()
for f in signing-key admin.json; do
  if [ -f "$work/$f" ]; then
    install -m 600 "$work/$f" "$STATE/$f.restoring" && mv "$STATE/$f.restoring" "$STATE/$f"
    restored+=("$f")
  fi
done
[ -f "$work/signing-key" ] || echo "note: the backup holds no signing key; stored credentials are readable only with Genie:Secrets:Key or the key they were made with" >&2
echo "restored database $PGDATABASE on $describe_target and ${restored[*]:-no state files} into $STATE from $source_file"
