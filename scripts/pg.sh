#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's postgresql package) on 127.0.0.1 for
# development and CI, and prints the connection URL to use as
# CLINICSYNC_TEST_PG_URL or DATABASE_URL.
#   npm run pg                 start (default port 5499, data in /tmp/clinicsync-pg)
#   npm run pg -- stop         stop it
#   npm run pg -- restart      restart it (fault tests)
# PGPORT and PGDIR choose the port and the folder, so several clusters can run side by side.
set -euo pipefail
PGPORT="${PGPORT:-5499}"
PGDIR="${PGDIR:-/tmp/clinicsync-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed. On Debian/Ubuntu: sudo apt-get install -y postgresql" >&2
  exit 1
fi
# initdb refuses to run as root, so the cluster belongs to the postgres user when we are root.
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  stop)
    run "$BIN/pg_ctl" -D "$PGDIR/data" -m fast stop
    exit 0 ;;
  restart)
    run "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w restart >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    exit 0 ;;
  start) ;;
  *) echo "usage: pg.sh [start|stop|restart]" >&2; exit 2 ;;
esac

if [ ! -d "$PGDIR/data" ]; then
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  run "$BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! run "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
  run "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
