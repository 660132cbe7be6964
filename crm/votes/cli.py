"""`flask crm import-votes FILE --format {popolo,congress,csv} (--chamber ID | --committee ID) [--dry-run]`."""

import click
from flask.cli import with_appcontext

from crm.extensions import db
from crm.legislature.importers.records import ImportFailed, decode_text
from crm.votes.importers import FORMATS, check, sync
from crm.votes.importers.records import MAX_BYTES


def _print_report(report: dict) -> None:
    click.echo(
        f"{report['events']} vote events, {report['votes']} votes: {report['new_events']} new events, "
        f"{report['changed_events']} changed, {report['new_votes']} new votes, {report['changed_votes']} changed, "
        f"{report['removed_votes']} removed, {report['new_bills']} new bills."
    )
    for item in report["unmatched"]:
        click.echo(f"  unmatched: {item['where']}: {item['name']}")
    for kind in ("errors", "warnings"):
        for problem in report[kind]:
            click.echo(f"  {kind[:-1]}: {problem['where']} [{problem['field']}] {problem['message']}")


def register(group) -> None:
    @group.command("import-votes")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True)
    @click.option("--chamber", "chamber_id", type=int, help="Id of the chamber that voted.")
    @click.option("--committee", "committee_id", type=int, help="Id of the committee that voted.")
    @click.option("--timezone", "tz_name", default=None, help="Zone for times without an offset (default: organisation).")
    @click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
    @with_appcontext
    def import_votes(path, fmt, chamber_id, committee_id, tz_name, dry_run):
        """Import recorded votes; nothing is written if any row is wrong, and re-importing changes nothing."""
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        try:
            if len(raw) > MAX_BYTES:
                raise ImportFailed("file too large")
            plan = check(fmt, decode_text(raw, path), chamber_id=chamber_id, committee_id=committee_id, tz_name=tz_name)
            _print_report(plan.report)
            if not plan.ok:
                db.session.rollback()
                raise click.ClickException(f"{plan.report['error_count']} errors: nothing written.")
            if dry_run:
                db.session.rollback()
                click.echo("Dry run: nothing written.")
                return
            with click.progressbar(length=plan.report["events"], label="Importing vote events") as bar:
                last = [0]

                def progress(done, total):
                    bar.update(done - last[0])
                    last[0] = done

                sync.apply(plan, actor=None, progress=progress)
            db.session.commit()
        except ImportFailed as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        click.echo("Imported.")
