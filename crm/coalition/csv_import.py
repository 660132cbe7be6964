"""Signature batches from a CSV file: every row is checked before anything is written.

Header (first line, any order, case and accents ignored; `lugar`, `tipo_lugar` and `notas` may be left empty):

    fecha,lugar,tipo_lugar,region,recolector,recolectadas,notas

- fecha: 2026-03-14 or 14/03/2026, not in the future
- tipo_lugar: universidad, centro_comercial, colegio, evento_comunitario, mercado, plaza, otro
- region: a region of Peru (Lima, Lima Metropolitana, Callao, Cusco, …); casing and accents do not matter
- recolector: the email of a staff member, or the exact name of a partner organisation
- recolectadas: a whole number greater than zero
Commas or semicolons separate the columns (spreadsheets set to Spanish save with semicolons).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.accounts.models import PartnerOrganisation, User
from crm.coalition.models import PLACE_KINDS
from crm.coalition.operations import batch_problems
from crm.coalition.regions import canonical_region
from crm.core.text import fold
from crm.extensions import db

HEADER = ("fecha", "lugar", "tipo_lugar", "region", "recolector", "recolectadas", "notas")
REQUIRED = ("fecha", "region", "recolector", "recolectadas")
MAX_ROWS = 5000
# Which CSV column a problem found by operations.batch_problems belongs to.
COLUMN_OF = {
    "collected_on": "fecha", "region": "region", "collected": "recolectadas", "place_kind": "tipo_lugar",
    "collector": "recolector",
}
_PLACE_KIND_KEYS = {fold(kind.replace("_", " ")): kind for kind in PLACE_KINDS}


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def collected(self) -> int:
        return sum(row["collected"] for row in self.rows)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Excel uses for Spanish text."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _parse_date(value: str):
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _parse_int(value: str):
    value = value.strip().replace(" ", "")
    return int(value) if value.isdigit() else None


def _collectors():
    """Lookups for the collector column, two statements whatever the file size."""
    staff = dict(db.session.execute(
        select(func.lower(User.email), User.id).where(User.role != "viewer", User.active.is_(True))
    ).all())
    partners = {fold(name): pid for pid, name in db.session.execute(
        select(PartnerOrganisation.id, PartnerOrganisation.name)
    ).all()}
    return staff, partners


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def parse(text: str, today: date | None = None) -> ImportResult:
    result = ImportResult()
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    header = next(reader, None)
    if not header:
        result.errors.append((1, "", _("El archivo está vacío.")))
        return result
    columns = [fold(name).replace(" ", "_") for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    unknown = [header[i] for i, name in enumerate(columns) if name and name not in HEADER]
    if missing or unknown:
        if missing:
            result.errors.append((1, ", ".join(missing), _("Faltan columnas obligatorias en el encabezado.")))
        if unknown:
            result.errors.append((1, ", ".join(unknown), _("Columnas desconocidas en el encabezado.")))
        return result
    staff, partners = _collectors()
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(result.rows) + len({e[0] for e in result.errors}) >= MAX_ROWS:
            result.errors.append((line, "", _("El archivo pasa de %(n)s filas; divídalo.", n=MAX_ROWS)))
            break
        if len(values) > len(columns):
            result.errors.append((line, "", _("La fila tiene más columnas que el encabezado.")))
            continue
        cells = {name: (values[i] if i < len(values) else "").strip() for i, name in enumerate(columns)}
        row, problems = _row(cells, staff, partners, today)
        for column, message in problems:
            result.errors.append((line, column, message))
        if not problems:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append((2, "", _("El archivo no tiene filas de datos.")))
    return result


def _row(cells, staff, partners, today):
    problems = []
    collected_on = _parse_date(cells.get("fecha", ""))
    if collected_on is None:
        problems.append(("fecha", _("«%(value)s» no es una fecha (use AAAA-MM-DD o DD/MM/AAAA).",
                                    value=cells.get("fecha", ""))))
    collected = _parse_int(cells.get("recolectadas", ""))
    if collected is None:
        problems.append(("recolectadas", _("«%(value)s» no es un número entero.", value=cells.get("recolectadas", ""))))
    kind_cell = cells.get("tipo_lugar", "")
    place_kind = _PLACE_KIND_KEYS.get(fold(kind_cell.replace("_", " "))) if kind_cell else None
    if kind_cell and place_kind is None:
        problems.append(("tipo_lugar", _("«%(value)s» no es un tipo de lugar (%(kinds)s).",
                                         value=kind_cell, kinds=", ".join(PLACE_KINDS))))
    who = cells.get("recolector", "")
    user_id = staff.get(who.lower()) if "@" in who else None
    partner_id = None if "@" in who else partners.get(fold(who))
    if not user_id and not partner_id:
        problems.append(("recolector", _("«%(value)s» no es el correo de alguien del equipo ni una organización aliada.",
                                         value=who)))
    place = cells.get("lugar") or None
    if place and len(place) > 200:
        problems.append(("lugar", _("El lugar no puede pasar de 200 caracteres.")))
    reported = {column for column, _message in problems}
    checks = batch_problems(
        collected_on=collected_on, region=cells.get("region", ""), collected=collected if collected else 0,
        collector_user_id=user_id, collector_partner_id=partner_id, today=today,
    )
    for key, message in checks.items():
        column = COLUMN_OF[key]
        if column not in reported:
            problems.append((column, message))
    row = dict(
        collected_on=collected_on, place=place, place_kind=place_kind, region=canonical_region(cells.get("region")),
        collector_user_id=user_id, collector_partner_id=partner_id, collected=collected,
        notes=cells.get("notas") or None,
    )
    return row, problems
