"""Consistent online backups and restores, for SQLite and PostgreSQL.

SQLite: the sqlite3 backup API copies every page inside one read transaction. In WAL mode readers do
not block writers, so the web keeps serving while the copy is taken and the copy is a snapshot of one
moment. PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore --clean`.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """A refusal or failure the admin can act on."""


def dialect_of(url: str | URL) -> str:
    return make_url(url).get_backend_name()


def sqlite_path(url: str | URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def default_backup_path(url: str | URL, directory: Path) -> Path:
    suffix = "sqlite3" if dialect_of(url) == "sqlite" else "dump"
    return directory / f"cabildeo-{_stamp()}.{suffix}"


# --- SQLite -------------------------------------------------------------------------------------


def integrity_check(path: Path) -> str:
    """`PRAGMA integrity_check` on a file, opened read-only; "ok" when the file is sound."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
    return "\n".join(str(row[0]) for row in rows)


def _require_sound(path: Path, problem: str) -> None:
    """Raise `problem: <what integrity_check found>` unless the file is sound."""
    result = integrity_check(path)
    if result != "ok":
        raise BackupError(f"{problem}: {result}")


def _copy_pages(source: sqlite3.Connection, target_path: Path, busy_timeout_ms: int) -> None:
    target = sqlite3.connect(target_path, timeout=busy_timeout_ms / 1000)
    try:
        target.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # pages=-1 copies everything in one step, inside one read transaction: one consistent snapshot.
        source.backup(target, pages=-1)
    finally:
        target.close()


def _private_file(path: Path) -> Path:
    """An empty file only its owner can read, in a folder only its owner can enter (when created here).

    A backup holds every note and contact; the umask of whoever runs it must not decide who reads it.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


@contextmanager
def _writing(destination: Path):
    """A private `.partial` file beside the destination: moved into place on success, removed on failure."""
    partial = _private_file(destination.with_name(destination.name + ".partial"))
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)


def backup_sqlite(live: Path, destination: Path, busy_timeout_ms: int = 30_000) -> Path:
    if not live.exists():
        raise BackupError(f"The database file {live} does not exist.")
    with _writing(destination) as partial:
        source = sqlite3.connect(live, timeout=busy_timeout_ms / 1000)
        try:
            source.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            _copy_pages(source, partial, busy_timeout_ms)
        finally:
            source.close()
        # A backup is one self-contained file (rollback journal, no -wal/-shm companions).
        _set_journal_mode(partial, "DELETE")
        _require_sound(partial, "The copy failed its integrity check")
    return destination


def _set_journal_mode(path: Path, mode: str, busy_timeout_ms: int = 5_000) -> None:
    connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000)
    try:
        connection.execute(f"PRAGMA journal_mode={mode}")
    finally:
        connection.close()


def restore_sqlite(backup: Path, live: Path, busy_timeout_ms: int = 30_000) -> Path | None:
    """Copy a backup over the live database with the backup API; returns the safety copy of the old one."""
    _require_sound(backup, f"{backup} is not a sound SQLite database")
    safety = None
    if live.exists():
        safety = backup_sqlite(live, live.with_name(f"{live.stem}.before-restore-{_stamp()}.sqlite3"), busy_timeout_ms)
    live.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(backup)
    try:
        _copy_pages(source, live, busy_timeout_ms)
    finally:
        source.close()
    _set_journal_mode(live, "WAL", busy_timeout_ms)
    _require_sound(live, "The restored database failed its integrity check")
    return safety


# --- PostgreSQL ---------------------------------------------------------------------------------


def find_pg_tool(name: str) -> str:
    """pg_dump / pg_restore from PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple:
        part = Path(path).parent.parent.name
        return tuple(int(p) for p in part.split(".") if p.isdigit())

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} was not found; install the PostgreSQL client tools (apt-get install postgresql-client).")


def pg_command_environment(url: str | URL) -> tuple[list[str], dict]:
    """Connection arguments for the libpq tools; the password travels in PGPASSWORD, never argv."""
    parsed = make_url(url)
    env = dict(os.environ)
    args = []
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    for key, value in parsed.query.items():
        if key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            env[f"PG{key.upper()}"] = value if isinstance(value, str) else value[0]
    if not parsed.database:
        raise BackupError("The PostgreSQL URL names no database.")
    return args, env


def _run(command: list[str], env: dict) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {completed.stderr.strip()}")


def backup_postgres(url: str | URL, destination: Path) -> Path:
    args, env = pg_command_environment(url)
    with _writing(destination) as partial:
        _run([find_pg_tool("pg_dump"), *args, "--format=custom", "--no-password", f"--file={partial}",
              make_url(url).database], env)
    return destination


def restore_postgres(url: str | URL, backup: Path) -> None:
    if not backup.exists():
        raise BackupError(f"{backup} does not exist.")
    args, env = pg_command_environment(url)
    command = [find_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-password",
               "--single-transaction", "--exit-on-error", f"--dbname={make_url(url).database}", str(backup)]
    _run(command, env)


# --- Shared -------------------------------------------------------------------------------------


def forget_process_leases(engine, metadata) -> int:
    """Delete the process lease rows a restore brought back: their heartbeat was written by a scheduler that ran
    when the backup was taken, not by one running now. A scheduler started after the restore writes its own."""
    table = metadata.tables.get("process_locks")
    if table is None:
        return 0
    with engine.begin() as connection:
        if not inspect(connection).has_table(table.name):
            return 0
        return connection.execute(table.delete()).rowcount


def table_counts(connection, metadata) -> dict[str, int]:
    """Rows per table, for every table the application knows (0 for one the database does not have yet)."""
    existing = set(inspect(connection).get_table_names())
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        if table.name in existing else 0
        for table in metadata.sorted_tables
    }
