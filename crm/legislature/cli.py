"""`flask --app wsgi crm import-legislators FILE --format ...`: dry run by default, --yes to apply."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from crm.extensions import db
from crm.legislature.importers import FORMATS, ImportFailed, jobs

STRUCTURE_LABELS = {
    "legislatures": "legislaturas nuevas", "chambers": "cámaras nuevas", "groups": "bancadas y partidos nuevos",
    "committees": "comisiones nuevas", "identifiers": "identificadores nuevos", "seats": "escaños nuevos o cambiados",
    "group_memberships": "afiliaciones nuevas o cambiadas",
    "committee_memberships": "membresías de comisión nuevas o cambiadas",
}


def _read(path: str | None, label: str) -> str | None:
    if not path:
        return None
    try:
        # newline="" keeps CRLF as is; the CSV readers deal with it.
        return Path(path).read_text(encoding="utf-8-sig", errors="strict")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{label}: el archivo no está en UTF-8 (byte {error.start}).") from error


def echo_report(report: dict) -> None:
    counts = report["counts"]
    click.echo(f"Legisladores: {report['total']} en el archivo · crear {counts['create']} · "
               f"actualizar {counts['update']} · sin cambios {counts['unchanged']}")
    for key, value in sorted(report["structure"].items()):
        click.echo(f"  {STRUCTURE_LABELS.get(key, key)}: {value}")
    for note in report["notes"]:
        click.echo(f"  nota: {note}")
    for problem in report["problems"]:
        kind = "ERROR" if problem["severity"] == "error" else "aviso"
        click.echo(f"  {kind}: {problem['where']} · {problem['field']}: {problem['message']}")
    for detail in report["details"]:
        click.echo(f"  cambia: {detail['where']} · {detail['name']}: {', '.join(detail['changes'])}")


def register(group: click.Group) -> None:
    @group.command("import-legislators")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)), help="Formato del archivo.")
    @click.option("--legislature", help="Nombre de la legislatura (se crea si no existe).")
    @click.option("--country", help="Código ISO del país (PE, US...).")
    @click.option("--chamber", help="Cámara para formatos que no la indican (OpenPeru, CSV, Popolo sin cámaras).")
    @click.option("--seats", type=click.IntRange(1, 2000), help="Número legal de escaños de una cámara nueva.")
    @click.option("--period", help="Periodo, p. ej. 2011-2016 (obligatorio para OpenPeru).")
    @click.option("--committees", type=click.Path(exists=True, dir_okay=False),
                  help="congress-legislators: committees-current.yaml.")
    @click.option("--committee-membership", type=click.Path(exists=True, dir_okay=False),
                  help="congress-legislators: committee-membership-current.yaml.")
    @click.option("--dry-run", "dry_run", is_flag=True, help="Solo la prueba, sin escribir nada (lo que se hace por omisión).")
    @click.option("--yes", is_flag=True, help="Aplicar los cambios (sin esta opción solo se muestra la prueba).")
    @with_appcontext
    def import_legislators(fmt, file, legislature, country, chamber, seats, period, committees,
                           committee_membership, dry_run, yes):
        """Import a roster of legislators. Without --yes nothing is written."""
        files = {"main": _read(file, "Archivo")}
        if committees:
            files["committees"] = _read(committees, "Comisiones")
        if committee_membership:
            files["memberships"] = _read(committee_membership, "Membresías")
        options = {"legislature": legislature, "country": country, "chamber": chamber, "seats": seats,
                   "period": period}
        try:
            options, report = jobs.dry_run(fmt, files, options)
        except ImportFailed as error:
            db.session.rollback()
            raise click.ClickException(f"{error} No se ha modificado nada.") from error
        click.echo(f"Prueba de importación en «{options.get('legislature')}»:")
        echo_report(report)
        if report["errors"]:
            db.session.rollback()
            raise click.ClickException(f"{report['errors']} errores: no se ha modificado nada. Corrija el archivo.")
        if dry_run or not yes:
            db.session.rollback()
            click.echo("Prueba terminada: no se ha escrito nada. Repita con --yes para aplicar.")
            return
        try:
            with click.progressbar(length=report["total"], label="Importando", file=None) as bar:
                result = jobs.apply_all(fmt, files, options, progress=lambda done, total: bar.update(1))
            if result["errors"]:
                raise ImportFailed(f"{result['errors']} errores")
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        counts = result["counts"]
        click.echo(f"Importación aplicada: {counts['create']} creados, {counts['update']} actualizados, "
                   f"{counts['unchanged']} sin cambios.")
