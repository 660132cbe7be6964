"""A backup taken while writes keep coming is consistent, restores into a new database, and counts match."""

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from crm.extensions import db
from crm.ops import backup
from tests.ops.seed import seed
from tests.ops.writers import BackgroundWriter, consistent_pairs


def _counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return backup.table_counts(connection, db.metadata)


def _pairs(app) -> tuple[int, int]:
    with app.app_context(), db.engine.connect() as connection:
        return consistent_pairs(connection)


@pytest.fixture(autouse=True)
def everyday_umask():
    """The usual umask (022), under which files come out readable by everyone unless the code says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _backup_during_writes(app, path: Path) -> BackgroundWriter:
    with app.app_context():
        seed()
    writer = BackgroundWriter(app)
    writer.start()
    try:
        while writer.written < 20 and not writer.errors:
            time.sleep(0.01)
        result = app.test_cli_runner().invoke(args=["crm", "backup", str(path)])
        assert result.exit_code == 0, result.output
        written_before_stop = writer.written
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert not writer.errors, writer.errors[0]
    # The writer kept going after the snapshot: the live database moved on.
    deadline = time.time() + 5
    while writer.written <= written_before_stop and time.time() < deadline:
        time.sleep(0.01)
    assert path.exists() and path.stat().st_size > 0
    return writer


def _assert_private(path: Path, new_folder: bool = False) -> None:
    """A backup holds every note: only its owner may read it, whatever the umask of whoever took it."""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if new_folder:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_sqlite_backup_while_writing_restores_into_a_new_database(app_for, tmp_path):
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    path = tmp_path / "backups" / "copy.sqlite3"
    writer = _backup_during_writes(live, path)

    assert backup.integrity_check(path) == "ok"
    _assert_private(path, new_folder=True)
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    in_backup = _counts(app_for(f"sqlite:///{path}", create=False))
    tasks, audits = _pairs(app_for(f"sqlite:///{path}", create=False))
    assert 20 <= tasks == audits <= writer.written  # every transaction whole, none half-copied
    assert _pairs(live) == (writer.written, writer.written)

    restored = app_for(f"sqlite:///{tmp_path / 'restored' / 'new.sqlite3'}", create=False)
    result = restored.test_cli_runner().invoke(args=["crm", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert backup.integrity_check(tmp_path / "restored" / "new.sqlite3") == "ok"
    assert _counts(restored) == in_backup
    # The restored instance works: it serves logins and takes new writes.
    with restored.app_context():
        from tests.ops.writers import write_one

        write_one("after restore", 0)
    assert _counts(restored)["tasks"] == in_backup["tasks"] + 1


def test_sqlite_restore_over_a_live_database_keeps_a_safety_copy(app_for, tmp_path):
    live_path = tmp_path / "live.sqlite3"
    live = app_for(f"sqlite:///{live_path}")
    with live.app_context():
        seed(legislators=5)
    runner = live.test_cli_runner()
    assert runner.invoke(args=["crm", "backup", str(tmp_path / "b.sqlite3")]).exit_code == 0
    with live.app_context():
        from tests.ops.writers import write_one

        write_one("lost by restore", 0)
    before = _counts(live)

    refused = runner.invoke(args=["crm", "restore", str(tmp_path / "b.sqlite3")])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert _counts(live) == before  # nothing changed without --yes

    result = runner.invoke(args=["crm", "restore", str(tmp_path / "b.sqlite3"), "--yes"])
    assert result.exit_code == 0, result.output
    assert _counts(live)["tasks"] == before["tasks"] - 1
    [safety] = tmp_path.glob("live.before-restore-*.sqlite3")
    with sqlite3.connect(safety) as old:
        assert old.execute("SELECT count(*) FROM tasks").fetchone()[0] == before["tasks"]


def test_restore_refuses_a_file_that_is_not_a_backup(app_for, tmp_path):
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = live.test_cli_runner().invoke(args=["crm", "restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert "not a sound SQLite database" in result.output


def test_postgres_backup_while_writing_restores_into_a_new_database(app_for, new_postgres_database, tmp_path):
    live = app_for(new_postgres_database())
    path = tmp_path / "copy.dump"
    writer = _backup_during_writes(live, path)
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    _assert_private(path)

    target_url = new_postgres_database()
    restored = app_for(target_url, create=False)
    result = restored.test_cli_runner().invoke(args=["crm", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    counts = _counts(restored)
    tasks, audits = _pairs(restored)
    assert 20 <= tasks == audits <= writer.written
    assert counts["legislators"] == 40 and counts["stance_assessments"] == 40 + 14
    assert _pairs(live) == (writer.written, writer.written)
    # Restoring the same dump again over the now-filled database replaces it (pg_restore --clean).
    again = restored.test_cli_runner().invoke(args=["crm", "restore", str(path), "--yes"])
    assert again.exit_code == 0, again.output
    assert _counts(restored) == counts


def test_postgres_password_travels_in_the_environment_never_in_arguments():
    args, env = backup.pg_command_environment(
        "postgresql+psycopg://cabildeo:s%40cr3t%2Fpw@db.internal:6543/cabildeo?sslmode=require")
    assert args == ["--host", "db.internal", "--port", "6543", "--username", "cabildeo"]
    assert env["PGPASSWORD"] == "s@cr3t/pw"
    assert env["PGSSLMODE"] == "require"
    assert not any("s@cr3t" in arg for arg in args)


def test_the_backup_command_names_where_it_wrote(app_for, tmp_path):
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    result = live.test_cli_runner().invoke(args=["crm", "backup", str(tmp_path / "nightly.sqlite3")])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {tmp_path / 'nightly.sqlite3'}" in result.output
    assert "integrity_check: ok" in result.output
    assert not list(tmp_path.glob("*.partial"))


def test_without_a_path_the_backup_goes_to_the_instance_folder(app_for, tmp_path):
    instance = tmp_path / "instance"
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}", INSTANCE_DIR=str(instance))
    result = live.test_cli_runner().invoke(args=["crm", "backup"])
    assert result.exit_code == 0, result.output
    [written] = (instance / "backups").glob("cabildeo-*.sqlite3")
    assert str(written) in result.output
    assert backup.integrity_check(written) == "ok"
    _assert_private(written, new_folder=True)


def test_a_failed_backup_leaves_no_partial_file(app_for, tmp_path, monkeypatch):
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    monkeypatch.setattr(backup, "integrity_check", lambda path: "*** page 3 is never used")
    result = live.test_cli_runner().invoke(args=["crm", "backup", str(tmp_path / "out" / "b.sqlite3")])
    assert result.exit_code != 0 and "integrity check" in result.output
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_pg_dump_leaves_no_partial_file(app_for, new_postgres_database, tmp_path, monkeypatch):
    live = app_for(new_postgres_database())
    monkeypatch.setattr(backup, "find_pg_tool", lambda name: "/bin/false")  # a pg_dump that fails at once
    result = live.test_cli_runner().invoke(args=["crm", "backup", str(tmp_path / "out" / "b.dump")])
    assert result.exit_code != 0 and "false failed" in result.output
    assert list((tmp_path / "out").iterdir()) == []
