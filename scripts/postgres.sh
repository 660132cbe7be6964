#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite and print its URL.
#   scripts/postgres.sh start DIR PORT   -> prints postgresql+psycopg://... on stdout
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh ensure           -> installs PostgreSQL with apt-get when missing (as root)
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
action=${1:?start, stop or ensure}
dir=${2:-}
port=${3:-55432}

find_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ]; then
    echo "PostgreSQL is not installed; installing it with apt-get…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
  if [ -z "$bin" ]; then
    echo "PostgreSQL is required for the test suite: apt-get install postgresql" >&2
    exit 1
  fi
  echo "$bin"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  ensure)
    find_bin >/dev/null
    ;;
  start)
    [ -n "$dir" ] || { echo "usage: $0 start DIR [PORT]" >&2; exit 2; }
    bin=$(find_bin)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home "$dir" postgres
      chown -R postgres "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres cabildeo_test
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/cabildeo_test"
    ;;
  stop)
    [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT] | ensure" >&2
    exit 2
    ;;
esac
