#!/usr/bin/env bash
# The whole suite, as CI runs it: lint, then pytest on SQLite (with browser journeys),
# then pytest again on a real PostgreSQL server started for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

echo "== ruff"
$VENV/bin/ruff check .

echo "== pytest on SQLite"
$VENV/bin/pytest "$@"

echo "== pytest on PostgreSQL"
pgdir=$(mktemp -d /tmp/cabildeo-pg.XXXXXX)
port=${CRM_TEST_PG_PORT:-55432}
trap 'bash scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url=$(bash scripts/postgres.sh start "$pgdir" "$port")
TEST_DATABASE_URL="$url" $VENV/bin/pytest -m "not browser" "$@"
