"""Whip list exports (CSV and XLSX); every cell is neutralised against formula injection."""

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from crm.campaigns.labels import COMMITMENT, STANCE
from crm.core.text import neutralise_cell
from crm.core.time import to_local
from crm.legislature.labels import COMMITTEE_ROLE


def whip_rows(count, tz_name: str | None) -> list[list]:
    """The whip list as rows; dates are the user's local days, as on the whip page."""

    def local_day(value) -> str:
        return to_local(value, tz_name).date().isoformat() if value else ""

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


def to_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    # A BOM so spreadsheet programs read the accents right.
    return "\ufeff" + buffer.getvalue()


def to_xlsx(rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Recuento")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    workbook.properties.title = neutralise_cell(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
