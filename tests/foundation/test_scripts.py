"""The CI scripts: a PostgreSQL server that cannot start fails the run; the entry points chain correctly."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="scripts/test.sh installs PostgreSQL first")
@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="independent of the database; the SQLite run covers it")
def test_postgres_that_cannot_start_fails_loudly():
    # Not tmp_path: as root the server runs as `postgres`, which cannot enter pytest's private temp folder.
    folder = Path(tempfile.mkdtemp(prefix="cabildeo-pg-test."))
    try:
        _start_on_a_taken_port(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _start_on_a_taken_port(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["bash", str(ROOT / "scripts/postgres.sh"), "start", str(folder), str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "stop", str(folder)], capture_output=True, timeout=60)
    assert result.returncode != 0
    assert result.stdout == "", "no URL is printed, so the PostgreSQL run cannot start"
    assert "could not bind" in result.stderr or "Address already in use" in result.stderr, result.stderr


def test_the_test_script_stops_on_the_first_failure_and_checks_exit_code_5():
    script = (ROOT / "scripts/test.sh").read_text()
    assert "set -euo pipefail" in script
    assert 'postgres.sh ensure' in script.split('echo "== pytest on SQLite"')[0], "PostgreSQL is found or installed before the suite runs"
    assert '"$rc" = 5' in script
    assert 'TEST_DATABASE_URL="$url"' in script


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "bash scripts/test.sh" in makefile.split("\ntest:")[1].split("\n\n")[0]
