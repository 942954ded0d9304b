#!/usr/bin/env bash
# A private PostgreSQL for `npm run bench` with pg_stat_statements loaded, so the storm prints which statements
# PostgreSQL spends its time on. The machine's shared server cannot load it (that needs a restart, and others
# use that server). Same major version and defaults as the shared one, its own port and data directory.
#   bash scripts/bench-postgres.sh start   # prints BENCH_DATABASE_URL=… to export
#   bash scripts/bench-postgres.sh stop
# BENCH_PG_MALLOC=tuned starts it with glibc's malloc told to keep freed memory for the next statement (the settings
# README's "Running PostgreSQL" recommends; decision 0062); the bench header prints which settings the server runs with.
set -euo pipefail
action=${1:-start}
port=${BENCH_PG_PORT:-5499}
dir=${BENCH_PG_DIR:-/tmp/flight-notifier-bench-pg}
bin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -n1)/bin
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $action in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir" && { [ "$(id -u)" != 0 ] || chown postgres:postgres "$dir"; }
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
      printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track_planning = on\nmax_connections = 200\n" \
        "$port" "$dir" >> "$dir/data/postgresql.conf"
    fi
    malloc=()
    case ${BENCH_PG_MALLOC:-} in
      '') ;;
      tuned) malloc=(MALLOC_MMAP_THRESHOLD_=16777216 MALLOC_TOP_PAD_=16777216) ;;
      *) echo "BENCH_PG_MALLOC: 'tuned' or unset, not '$BENCH_PG_MALLOC'" >&2; exit 2 ;;
    esac
    if as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "bench-postgres: already running (stop it first to change BENCH_PG_MALLOC)" >&2
    else
      as_postgres env "${malloc[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
    fi
    echo "export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
