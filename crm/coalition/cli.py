"""`flask crm import-signatures`: the same checked CSV import as the web page, for large files."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from crm.accounts.operations import find_user_by_email
from crm.coalition import csv_import, operations
from crm.coalition.models import PetitionDrive
from crm.extensions import db


def register(group) -> None:
    @group.command("import-signatures")
    @click.argument("drive_id", type=int)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--commit", is_flag=True, help="Write the batches; without it the file is only checked (dry run).")
    @click.option("--actor", "actor_email", default=None, help="Email of the staff member recorded in the audit trail.")
    @with_appcontext
    def import_signatures(drive_id, path, commit, actor_email):
        """Check a CSV of signature batches for a petition drive, and with --commit write it."""
        drive = db.session.get(PetitionDrive, drive_id)
        if drive is None:
            raise click.ClickException(f"No petition drive with id {drive_id}.")
        actor = find_user_by_email(actor_email) if actor_email else None
        if actor_email and (actor is None or not actor.is_staff):
            raise click.ClickException(f"{actor_email} is not a staff account.")
        result = csv_import.parse(csv_import.decode(path.read_bytes()))
        for line, column, message in result.errors:
            click.echo(f"line {line}" + (f", {column}" if column else "") + f": {message}", err=True)
        if not result.ok:
            raise click.ClickException("Nothing was written: fix the rows above and run again.")
        click.echo(f"{len(result.rows)} batches, {result.collected} signatures: the file is valid.")
        if not commit:
            click.echo("Dry run: nothing written. Add --commit to import.")
            return
        operations.import_batches(actor=actor, drive=drive, rows=result.rows)
        db.session.commit()
        click.echo("Imported.")
