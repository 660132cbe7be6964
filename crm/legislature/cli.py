"""`flask --app wsgi crm import-legislators FILE --format ...`: dry run by default, --yes to apply."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from crm.extensions import db
from crm.legislature.importers import FORMATS, STRUCTURE_LABELS, ImportFailed, jobs
from crm.legislature.importers.records import decode_text
from crm.legislature.models import MAX_SEATS


def _read(path: str | None, label: str) -> str | None:
    if not path:
        return None
    try:
        return decode_text(Path(path).read_bytes(), label)
    except ImportFailed as error:
        raise click.ClickException(str(error)) from error


def echo_report(report: dict) -> None:
    counts = report["counts"]
    click.echo(_("Legisladores: %(total)s en el archivo · crear %(create)s · actualizar %(update)s · "
                 "sin cambios %(unchanged)s", total=report["total"], **counts))
    for key, value in sorted(report["structure"].items()):
        click.echo(f"  {STRUCTURE_LABELS.get(key, key)}: {value}")
    for note in report["notes"]:
        click.echo("  " + _("nota: %(note)s", note=note))
    for problem in report["problems"]:
        kind = _("ERROR") if problem["severity"] == "error" else _("aviso")
        click.echo(f"  {kind}: {problem['where']} · {problem['field']}: {problem['message']}")
    for rename in report.get("renames", []):
        click.echo("  " + _("cambia de nombre: %(where)s · «%(old)s» → «%(new)s»", **rename))
    for detail in report["details"]:
        click.echo("  " + _("cambia: %(where)s · %(name)s: %(changes)s", where=detail["where"], name=detail["name"],
                            changes=", ".join(detail["changes"])))


def register(group: click.Group) -> None:
    @group.command("import-legislators")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)), help="Formato del archivo.")
    @click.option("--legislature", help="Nombre de la legislatura (se crea si no existe).")
    @click.option("--country", help="Código ISO del país (PE, US...).")
    @click.option("--chamber", help="Cámara para formatos que no la indican (OpenPeru, CSV, Popolo sin cámaras).")
    @click.option("--seats", type=click.IntRange(1, MAX_SEATS), help="Número legal de escaños de una cámara nueva.")
    @click.option("--period", help="Periodo: 2011-2016 (obligatorio para OpenPeru); en Popolo, el id, el nombre o "
                                   "los años de un periodo legislativo, o «all» (todos, lo que se hace por omisión).")
    @click.option("--allow-renames", is_flag=True,
                  help="Permitir que cambie el nombre de más de una quinta parte de las personas existentes.")
    @click.option("--committees", type=click.Path(exists=True, dir_okay=False),
                  help="congress-legislators: committees-current.yaml.")
    @click.option("--committee-membership", type=click.Path(exists=True, dir_okay=False),
                  help="congress-legislators: committee-membership-current.yaml.")
    @click.option("--dry-run", "dry_run", is_flag=True, help="Solo la prueba, sin escribir nada (lo que se hace por omisión).")
    @click.option("--yes", is_flag=True, help="Aplicar los cambios (sin esta opción solo se muestra la prueba).")
    @with_appcontext
    def import_legislators(fmt, file, legislature, country, chamber, seats, period, committees,
                           committee_membership, allow_renames, dry_run, yes):
        """Import a roster of legislators. Without --yes nothing is written."""
        files = {"main": _read(file, _("Archivo"))}
        if committees:
            files["committees"] = _read(committees, _("Comisiones"))
        if committee_membership:
            files["memberships"] = _read(committee_membership, _("Membresías"))
        options = {"legislature": legislature, "country": country, "chamber": chamber, "seats": seats,
                   "period": period, "allow_renames": allow_renames or None}
        try:
            options, report = jobs.dry_run(fmt, files, options)
        except ImportFailed as error:
            db.session.rollback()
            raise click.ClickException(_("%(error)s No se ha modificado nada.", error=error)) from error
        click.echo(_("Prueba de importación en «%(name)s»:", name=options.get("legislature") or _("(sin nombre)")))
        echo_report(report)
        if report["errors"]:
            db.session.rollback()
            raise click.ClickException(
                _("%(n)s errores: no se ha modificado nada. Corrija el archivo.", n=report["errors"])
            )
        if dry_run or not yes:
            db.session.rollback()
            click.echo(_("Prueba terminada: no se ha escrito nada. Repita con --yes para aplicar."))
            return
        try:
            with click.progressbar(length=report["total"], label=_("Importando"), file=None) as bar:
                result = jobs.apply_all(fmt, files, options, progress=lambda done, total: bar.update(1))
            if result["errors"]:
                raise ImportFailed(_("%(n)s errores", n=result["errors"]))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        counts = result["counts"]
        click.echo(_("Importación aplicada: %(create)s creados, %(update)s actualizados, %(unchanged)s sin cambios.",
                     **counts))
