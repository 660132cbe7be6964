"""Whip list exports (CSV and XLSX); every cell is neutralised against formula injection."""

import csv
import io
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter

from crm.campaigns.labels import COMMITMENT, STANCE
from crm.campaigns.models import STANCE_LEVELS
from crm.core.text import neutralise_cell
from crm.core.time import to_local
from crm.legislature.labels import COMMITTEE_ROLE

# Excel's built-in short date (format 14): spreadsheet programs show it in the reader's own locale.
DATE_FORMAT = BUILTIN_FORMATS[14]
MIN_WIDTH, MAX_WIDTH = 8, 50


def whip_rows(count, tz_name: str | None) -> list[list]:
    """The whip list as rows; dates are the user's local days (date objects), as on the whip page."""

    def local_day(value) -> date | str:
        return to_local(value, tz_name).date() if value else ""

    levels, commitments, roles = STANCE.translated(), COMMITMENT.translated(), COMMITTEE_ROLE.translated()
    header = [
        _("Nombre"), _("Bancada"), _("Distrito"), _("Postura"), _("Compromiso"), _("Confianza"),
        _("Evaluada el"), _("Comisión de la campaña"), _("Último contacto"), _("Próxima tarea"), _("Responsable"),
    ]
    rows = [header]
    for m in sorted(count.members, key=lambda m: m.sort_name):
        rows.append(
            [
                m.name,
                m.group_name or "",
                m.district or "",
                levels[m.level],
                commitments.get(m.commitment, m.commitment or ""),
                m.confidence if m.confidence is not None else "",
                local_day(m.assessed_at),
                roles.get(m.lead_role, m.lead_role or ""),
                local_day(m.last_contact),
                local_day(m.next_task_due),
                m.owner or "",
            ]
        )
    return [[neutralise_cell(v) for v in row] for row in rows]


def whip_summary(count) -> list[list]:
    """The export's summary sheet: the stage's headline figures, then how many members hold each stance."""
    levels = STANCE.translated()
    rows = [
        [_("Campaña"), count.campaign.name],
        [_("Etapa"), count.body.name],
        [_("Recuento al"), count.as_of],
        [_("Escaños legales"), count.seats],
        [_("Votos necesarios"), count.needed],
        [_("Asegurados"), count.secured],
        [_("Probables"), count.likely],
        [_("Brecha"), count.gap_secured],
        [],
        [_("Postura"), _("Miembros")],
        *([levels[lv], count.counts[lv]] for lv in STANCE_LEVELS),
        [_("Total"), len(count.members)],
    ]
    return [[neutralise_cell(v) for v in row] for row in rows]


def _csv_cell(value):
    return value.isoformat() if isinstance(value, date) else value


def to_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    # A BOM so spreadsheet programs read the accents right.
    return "\ufeff" + buffer.getvalue()


def _fill_sheet(sheet, rows, *, header_row: bool) -> None:
    """Rows into a sheet: real dates with a date format, a bold header, and columns as wide as their text."""
    widths: dict[int, int] = {}
    for row in rows:
        sheet.append(row)
        for column, value in enumerate(row, start=1):
            text = "00/00/0000" if isinstance(value, date) else str(value)
            widths[column] = max(widths.get(column, 0), len(text))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = DATE_FORMAT
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    if header_row and rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"


def to_xlsx(rows, title: str, summary: list[list] | None = None) -> bytes:
    """The rows as the first sheet (header frozen) and, when given, a summary sheet after it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Recuento")
    _fill_sheet(sheet, rows, header_row=True)
    if summary:
        _fill_sheet(workbook.create_sheet(_("Resumen")), summary, header_row=False)
    workbook.properties.title = neutralise_cell(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
