#!/usr/bin/env bash
# The whole suite, as CI runs it: lint, then pytest on SQLite (with browser journeys),
# then pytest again on a real PostgreSQL server started for the run. Any failure fails the run;
# nothing is skipped because a tool is missing (as root, missing tools are installed with apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
started=$SECONDS

apt_install() {
  echo "Installing $* with apt-get…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null
}

if [ ! -x "${CRM_TEST_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt_install chromium
  else
    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# Install (as root) or find PostgreSQL before anything runs, so a missing server fails fast.
bash scripts/postgres.sh ensure

# pytest exits with 5 when it selected no test at all: that is a broken run, not a pass.
run_pytest() {
  local rc=0
  "$VENV/bin/pytest" "$@" || rc=$?
  if [ "$rc" = 5 ]; then
    echo "pytest collected no tests: refusing to call that a pass" >&2
  fi
  return "$rc"
}

echo "== ruff"
"$VENV/bin/ruff" check .

echo "== import-linter (layers: pyproject.toml [tool.importlinter])"
"$VENV/bin/lint-imports"

echo "== pytest on SQLite"
run_pytest "$@"

echo "== pytest on PostgreSQL"
pgdir=$(mktemp -d /tmp/cabildeo-pg.XXXXXX)
port=${CRM_TEST_PG_PORT:-$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
trap 'bash scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url=$(bash scripts/postgres.sh start "$pgdir" "$port")
TEST_DATABASE_URL="$url" run_pytest -m "not browser" "$@"

echo "== all passed in $((SECONDS - started)) s"
