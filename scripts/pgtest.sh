#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for one test run (see docs in /work/shared/notes/STACK.md).
#   eval "$(scripts/pgtest.sh start)"   prints `export PEYVAND_TEST_PG_URL=…` and `export PEYVAND_TEST_PG_DIR=…`
#   scripts/pgtest.sh stop              stops the cluster in $PEYVAND_TEST_PG_DIR and removes the directory
# Only the export lines go to stdout; diagnostics go to stderr.  No `set -e`: errors are checked.
set -u

die() { echo "pgtest: $*" >&2; exit 1; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] \
  || die "no PostgreSQL server in /usr/lib/postgresql/*/bin (run: scripts/install-debs.sh test)"

# root may not run initdb/pg_ctl: run them as postgres.  A normal user runs them as itself.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user"
  as_pg() { /usr/sbin/runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir port attempt
  if [ "$(id -u)" -eq 0 ]; then
    dir=$(mktemp -d /tmp/peyvand-pg.XXXXXX) || die "mktemp failed"   # /tmp: postgres must reach it
    chown postgres: "$dir" || { rm -rf "$dir"; die "chown postgres $dir failed"; }
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/peyvand-pg.XXXXXX") || die "mktemp failed"
  fi
  : > "$dir/.peyvand-pgtest"   # marker: `stop` removes only directories that carry it

  if ! as_pg "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
       > "$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"
  fi

  # A free port can be taken between the check and the start: try a few times.
  for attempt in 1 2 3; do
    port=$(free_port) || { rm -rf "$dir"; die "could not find a free port"; }
    if as_pg "$pgbin/pg_ctl" -w -t 60 -D "$dir/data" -l "$dir/server.log" \
         -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
         start > /dev/null 2>&1; then
      break
    fi
    port=""
    echo "pgtest: start on port attempt $attempt failed, retrying" >&2
  done
  if [ -z "$port" ]; then
    tail -n 20 "$dir/server.log" >&2 2>/dev/null; rm -rf "$dir"; die "pg_ctl start failed"
  fi

  if ! "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres peyvand_test >&2; then
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$dir"; die "createdb failed"
  fi

  printf 'export PEYVAND_TEST_PG_URL=%q\n' "postgresql+psycopg://postgres@127.0.0.1:$port/peyvand_test"
  printf 'export PEYVAND_TEST_PG_DIR=%q\n' "$dir"
  echo "pgtest: PostgreSQL $(basename "$(dirname "$pgbin")") on 127.0.0.1:$port, data in $dir" >&2
}

stop() {
  local dir=${PEYVAND_TEST_PG_DIR:-}
  [ -n "$dir" ] || die "PEYVAND_TEST_PG_DIR is not set"
  [ -f "$dir/.peyvand-pgtest" ] || die "$dir is not a pgtest cluster directory; not touching it"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 \
      || echo "pgtest: pg_ctl stop failed (see $dir/server.log)" >&2
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop)  stop ;;
  *) echo "usage: eval \"\$($0 start)\"  |  $0 stop" >&2; exit 2 ;;
esac
