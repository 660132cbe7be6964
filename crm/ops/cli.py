"""`flask crm dev`, `backup`, `restore` and `migrate-to-postgres`."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from crm.extensions import db
from crm.ops import backup
from crm.ops.migrate import copy_to_postgres


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server bound to host:port."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - a wildcard bind is reached through the loopback address
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def register(group: click.Group) -> None:
    @group.command("dev")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000, type=int)
    def dev_command(host, port):
        """Run the web server, plus the scheduler, mail sender and webhook sender when they exist, until Ctrl-C."""
        flask = [sys.executable, "-m", "flask"]
        env = dict(os.environ)
        # Links in emails must reach the server started here, not the default port; an explicit setting wins.
        env.setdefault("CRM_BASE_URL", served_url(host, port))
        children = []
        for name in ("scheduler", "sender", "webhooks"):
            if name in group.commands:
                children.append(subprocess.Popen([*flask, "crm", name], env=env))  # noqa: S603
        click.echo(f"Cabildeo is running on {served_url(host, port)}/ (Ctrl-C stops everything)")
        web = subprocess.Popen([*flask, "run", "--host", host, "--port", str(port)], env=env)  # noqa: S603
        children.append(web)
        stop = signal.SIGINT

        def on_sigterm(signum, frame):
            nonlocal stop
            stop = signal.SIGTERM
            raise KeyboardInterrupt

        # A service manager stops us with SIGTERM: pass it on, so no child outlives the parent.
        signal.signal(signal.SIGTERM, on_sigterm)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for child in children:
                if child.poll() is None:
                    child.send_signal(stop)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    @group.command("backup")
    @click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @with_appcontext
    def backup_command(path):
        """Take a consistent online backup (SQLite backup API, or pg_dump for PostgreSQL)."""
        url = db.engine.url  # relative SQLite paths already resolved by Flask-SQLAlchemy
        path = path or backup.default_backup_path(url, Path(current_app.config["INSTANCE_DIR"]) / "backups")
        try:
            if backup.dialect_of(url) == "sqlite":
                written = backup.backup_sqlite(backup.sqlite_path(url), path, current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
                click.echo("integrity_check: ok")
            else:
                written = backup.backup_postgres(url, path)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Backup written to {written} ({written.stat().st_size:,} bytes)")

    @group.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Confirm that every current row is replaced by the backup.")
    @with_appcontext
    def restore_command(path, yes):
        """Replace the database's contents with a backup made by `flask crm backup`."""
        url = db.engine.url  # relative SQLite paths already resolved by Flask-SQLAlchemy
        target = make_url(url).render_as_string(hide_password=True)
        if not yes:
            raise click.ClickException(
                f"Restoring replaces every row in {target} with the contents of {path}. "
                "Stop the web, scheduler and sender processes, then run this command again with --yes."
            )
        db.session.remove()
        db.engine.dispose()
        try:
            if backup.dialect_of(url) == "sqlite":
                safety = backup.restore_sqlite(path, backup.sqlite_path(url), current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
                if safety:
                    click.echo(f"The previous database was saved to {safety}")
                click.echo("integrity_check: ok")
            else:
                backup.restore_postgres(url, path)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        with db.engine.connect() as connection:
            counts = backup.table_counts(connection, db.metadata)
        if backup.forget_process_leases(db.engine, db.metadata):
            click.echo("The scheduler lease copied from the backup was removed: no scheduler runs until one is started.")
        click.echo(f"Restored {path} into {target}: {sum(counts.values()):,} rows in {len(counts)} tables")

    @group.command("migrate-to-postgres")
    @click.argument("postgres_url")
    @with_appcontext
    def migrate_to_postgres_command(postgres_url):
        """Copy this SQLite instance into an EMPTY PostgreSQL database, keeping every id, and verify the counts."""
        if db.engine.dialect.name != "sqlite":
            raise click.ClickException("The current database is not SQLite; set DATABASE_URL to the SQLite file to copy.")
        shown = make_url(postgres_url).render_as_string(hide_password=True)
        click.echo(f"Copying {db.engine.url.database} into {shown}…")
        db.session.remove()
        try:
            counts = copy_to_postgres(db.engine, postgres_url, db.metadata, echo=click.echo, create_schema=_create_schema)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        width = max(len(name) for name in counts)
        click.echo(f"{'table':<{width}}  {'sqlite':>9}  {'postgres':>9}")
        mismatched = []
        for name, (source, target) in counts.items():
            flag = "" if source == target else "  MISMATCH"
            if flag:
                mismatched.append(name)
            click.echo(f"{name:<{width}}  {source:>9,}  {target:>9,}{flag}")
        if mismatched:
            raise click.ClickException(f"Row counts differ in: {', '.join(mismatched)}")
        click.echo(f"All {len(counts)} tables match. Set DATABASE_URL={shown} and restart every process.")


def _create_schema(engine) -> None:
    """Build the current schema and mark it as the newest migration, so `flask db upgrade` continues from here."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    db.metadata.create_all(engine)
    script = ScriptDirectory(str(Path(current_app.root_path).parent / "migrations"))
    with engine.begin() as connection:
        MigrationContext.configure(connection).stamp(script, "head")
