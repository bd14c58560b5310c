# Shared by backup.sh and restore.sh (sourced, not run): finds the genie database and points the
# libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) at it, the way Genie.AppHost does:
# ConnectionStrings__genie, else GENIE_POSTGRES, else the local cluster under $STATE/postgres, started
# just for the command (and stopped after) when the app is not running.

fail() { echo "error: $*" >&2; exit 1; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${Genie__StateDirectory:-$repo_root/.genie}"
started_cluster=""
cluster_was_running=0

pg_bin_dir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
  fail "PostgreSQL is not installed (no pg_ctl): run scripts/install-deps.sh"
}

# As the postgres OS user when we are root (PostgreSQL refuses to run as root), else as ourselves.
as_cluster_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Npgsql keywords (Host=..;Port=..) to libpq variables; the password stays in PGPASSWORD, never printed.
use_connection_string() {
  local pair key value
  export PGDATABASE=genie
  IFS=';' read -ra pairs <<< "$1"
  for pair in "${pairs[@]}"; do
    key="$(echo "${pair%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${pair#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      username|user|userid|"user id") export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
      database) export PGDATABASE="$value" ;;
    esac
  done
  describe_target="the server given by ${connection_source} (database $PGDATABASE)"
}

stop_started_cluster() {
  [ -n "$started_cluster" ] && as_cluster_owner "$(pg_bin_dir)/pg_ctl" -D "$started_cluster" -m fast -w -t 60 stop >/dev/null 2>&1
  started_cluster=""
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

# Connects to the local cluster, starting it when the app is not running. With create=1 a missing
# cluster is made the way Genie.AppHost makes it, so a restore works on a fresh machine.
use_local_cluster() {
  local create="$1" data="$STATE/postgres" bin port
  bin="$(pg_bin_dir)"
  export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=genie
  unset PGPASSWORD
  if [ ! -f "$data/PG_VERSION" ]; then
    [ "$create" = 1 ] || fail "no local database in $data (run the app once, or set ConnectionStrings__genie)"
    mkdir -p "$data" && chmod 700 "$data"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$data"
    as_cluster_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-instructions >/dev/null \
      || fail "initdb could not create the local cluster in $data"
    printf "\n# Genie.AppHost\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nlogging_collector = off\n" >> "$data/postgresql.conf"
  fi
  if as_cluster_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    PGPORT="$(sed -n 4p "$data/postmaster.pid")"; export PGPORT
    describe_target="the running local cluster ($data)"
    cluster_was_running=1
  else
    PGPORT="$(free_port)"; export PGPORT
    as_cluster_owner "$bin/pg_ctl" -D "$data" -l "$data/maintenance.log" -w -t 60 \
      -o "-p $PGPORT -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 \
      || fail "the local cluster in $data did not start (see $data/maintenance.log)"
    started_cluster="$data"
    trap stop_started_cluster EXIT
    describe_target="the local cluster ($data, started for this command)"
  fi
}

select_database() {
  local create="$1"
  if [ -n "${ConnectionStrings__genie:-}" ]; then
    connection_source=ConnectionStrings__genie use_connection_string "$ConnectionStrings__genie"
  elif [ -n "${GENIE_POSTGRES:-}" ]; then
    connection_source=GENIE_POSTGRES use_connection_string "$GENIE_POSTGRES"
  else
    use_local_cluster "$create"
  fi
  local out
  out="$(psql -X -d postgres -Atc 'select 1' 2>&1)" || fail "cannot reach PostgreSQL at ${PGHOST}:${PGPORT:-5432}: $(echo "$out" | head -1)"
}
