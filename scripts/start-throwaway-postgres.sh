#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster in a temp folder on a free port and prints `DATABASE_URL=…` and `PGDIR=…`.
# Stop it with: runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" stop -m fast (as root), or pg_ctl as yourself.
set -euo pipefail
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PGDIR="$(mktemp -d /tmp/promptloop-ci-pg-XXXXXX)"
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; fi
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
as_server "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
as_server "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
echo "PGDIR=$PGDIR"
echo "PGBIN=$PGBIN"
