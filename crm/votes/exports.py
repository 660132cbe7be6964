"""Forecast and scorecard exports (CSV and XLSX); every cell is neutralised against formula injection."""

from flask_babel import gettext as _

from crm.campaigns.exports import to_csv, to_xlsx
from crm.campaigns.labels import STANCE
from crm.campaigns.models import STANCE_LEVELS
from crm.core.text import neutralise_cell
from crm.votes.labels import OUTCOME
from crm.votes.models import OUTCOMES, outcome_of

__all__ = ["forecast_rows", "scorecard_rows", "to_csv", "to_xlsx"]


def _clean(rows):
    return [[neutralise_cell(v) for v in row] for row in rows]


def forecast_rows(forecast, members) -> list[list]:
    levels, outcomes = STANCE.translated(), OUTCOME.translated()
    rows = [[_("Postura antes del voto"), *(outcomes[o] for o in OUTCOMES), _("Total")]]
    for level in STANCE_LEVELS:
        rows.append([levels[level], *(forecast.table[level][o] for o in OUTCOMES), forecast.row_totals[level]])
    rows.append([_("Total"), *(forecast.column_totals[o] for o in OUTCOMES), forecast.total])
    rows.append([])
    rows.append([_("Nombre"), _("Bancada"), _("Postura antes del voto"), _("Confianza"), _("Voto"), _("Responsable")])
    for m in members:
        rows.append([m.name, m.group or "", levels[m.level or "unknown"], m.confidence if m.confidence is not None else "",
                     outcomes[outcome_of(m.option)], m.owner or ""])
    return _clean(rows)


def scorecard_rows(rows) -> list[list]:
    out = [[_("Nombre"), _("Cámara"), _("Bancada"), _("Distrito"), _("Puntaje (%)"), _("Votos a nuestro favor"),
            _("Votos emitidos"), _("Ausencias")]]
    for r in rows:
        out.append([r.name, r.chamber or "", r.group or "", r.district or "",
                    "" if r.score is None else round(100 * r.score), r.our_way, r.cast, r.absences])
    return _clean(out)
