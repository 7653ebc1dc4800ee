#!/bin/sh
# A throw-away PostgreSQL cluster for tests and benchmarks: `start` creates one in
# $GUIHUA_PG_DIR (default /tmp/guihua-pg) listening only on a Unix socket in that
# directory, as an unprivileged user (postgres when run as root), with a database
# `guihua`; it prints the address to use (GUIHUA_TEST_POSTGRES=…). `stop` stops it and
# removes the directory. Nothing listens on the network; nothing outside the directory
# is touched. Durability is off (fsync=off) unless GUIHUA_PG_FSYNC=on: tests need no
# crash safety; benchmarks compared with SQLite should set it.
set -eu
dir=${GUIHUA_PG_DIR:-/tmp/guihua-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "pg-throwaway: no PostgreSQL server binaries (apt-get install postgresql)" >&2
    exit 1
fi
as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
    if [ -e "$dir" ]; then
        as "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as "$bin/initdb" -D "$dir/data" -U guihua --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        as "$bin/initdb" -D "$dir/data" -U guihua --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses='' -k $dir -c fsync=${GUIHUA_PG_FSYNC:-off} -c max_connections=200" start >/dev/null
    as "$bin/createdb" -h "$dir" -U guihua guihua
    echo "postgresql://guihua@/guihua?host=$dir"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
