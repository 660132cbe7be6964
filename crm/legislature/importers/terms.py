"""Which of a file's legislative periods to import: `--period` names one (by id, name or years) or `all`."""

from flask_babel import gettext as _

from crm.core.text import fold
from crm.legislature.importers.records import ImportFailed, Roster

ALL = "all"


def _years(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in "".join(c if c.isdigit() else " " for c in text or "").split() if len(part) == 4)


def _matches(key: str, term, wanted: str) -> bool:
    if fold(wanted) in (fold(key), fold(term.label)):
        return True
    years = _years(wanted)
    if not years:
        return False
    dated = tuple(str(d.year) for d in (term.start_date, term.end_date) if d)
    return years in (_years(term.label), dated, dated[:1])


def pick_period(roster: Roster, wanted: str | None):
    """Narrow the roster's terms to the chosen one; returns wanted(term_key, start, end) for each membership.

    Without terms in the file, `--period` is only the label of the term the import fills (as before).
    """
    if not roster.terms or not wanted or fold(wanted) in (ALL, "todos", "todas"):
        if roster.terms:
            roster.period_label = None  # each record carries its own term
        return lambda key, start, end: True
    found = [key for key, term in roster.terms.items() if _matches(key, term, wanted)]
    if len(found) != 1:
        choices = "; ".join(f"{key} ({term.label})" for key, term in roster.terms.items())
        message = _("El periodo «%(wanted)s» no está en el archivo. Periodos disponibles: %(choices)s; o «all».",
                    wanted=wanted, choices=choices)
        if found:
            message = _("«%(wanted)s» coincide con varios periodos: %(found)s. Use el id.", wanted=wanted,
                        found=", ".join(found))
        raise ImportFailed(message)
    key = found[0]
    term = roster.terms[key]
    roster.terms = {key: term}
    roster.period_label, roster.legislature_start, roster.legislature_end = term.label, term.start_date, term.end_date

    def wanted_record(term_key, start, end) -> bool:
        if term_key is not None:
            return term_key == key
        # An undated-by-term membership belongs to the period when their days overlap.
        return ((start is None or term.end_date is None or start <= term.end_date)
                and (end is None or term.start_date is None or end >= term.start_date))

    return wanted_record
