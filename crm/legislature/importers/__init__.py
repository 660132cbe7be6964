"""Roster importers. Each format's parse(files, options, today) returns a Roster; Sync writes it."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.core.time import local_today
from crm.legislature.importers import congress, openperu, plaincsv, popolo
from crm.legislature.importers.records import ImportFailed, Roster
from crm.legislature.importers.sync import Sync

FORMATS = {
    "popolo": popolo.parse,
    "congress-legislators": congress.parse,
    "openperu": openperu.parse,
    "csv": plaincsv.parse,
}
FORMAT_LABELS = {
    "openperu": "OpenPeru congresistas.json",
    "congress-legislators": "unitedstates/congress-legislators",
    "popolo": "Popolo JSON",
    "csv": _l("CSV de Cabildeo"),
}
# What a report's "structure" counts, for the import pages and the command line.
STRUCTURE_LABELS = {
    "legislatures": _l("legislaturas nuevas"), "chambers": _l("cámaras nuevas"),
    "groups": _l("bancadas y partidos nuevos"), "committees": _l("comisiones nuevas"),
    "identifiers": _l("identificadores nuevos"), "seats": _l("escaños nuevos o cambiados"),
    "group_memberships": _l("afiliaciones nuevas o cambiadas"),
    "committee_memberships": _l("membresías de comisión nuevas o cambiadas"),
}
DEFAULT_COUNTRY = {"openperu": "PE", "congress-legislators": "US"}
CHUNK = 150

__all__ = ["FORMATS", "FORMAT_LABELS", "STRUCTURE_LABELS", "ImportFailed", "Roster", "Sync", "parse_roster", "default_options", "CHUNK"]


def default_options(fmt: str, options: dict) -> dict:
    """Fill what the user left out with what the format implies."""
    options = {k: v for k, v in options.items() if v not in (None, "")}
    options.setdefault("country", DEFAULT_COUNTRY.get(fmt, "PE"))
    if "legislature" not in options:
        if fmt == "openperu" and options.get("period"):
            years = openperu.period_years(options["period"])
            if years:
                options["legislature"] = f"Congreso de la República del Perú {years[0]}–{years[1]}"
        elif fmt == "congress-legislators":
            options["legislature"] = "United States Congress"
    return options


def parse_roster(fmt: str, files: dict, options: dict, today: date | None = None) -> Roster:
    """Read the files into a Roster; raises ImportFailed when the file cannot be read at all."""
    if fmt not in FORMATS:
        raise ImportFailed(_("Formato desconocido «%(fmt)s». Use uno de: %(v1)s.", fmt=fmt, v1=', '.join(FORMATS)))
    try:
        # Without a user's day, the organisation's default zone decides it (crm.core.time).
        return FORMATS[fmt](files, options, today or local_today(None))
    except ImportFailed:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        # Right syntax, wrong shape: say so instead of failing with a traceback.
        raise ImportFailed(_("El archivo no tiene la estructura esperada para %(v0)s: %(v1)s", v0=FORMAT_LABELS[fmt], v1=repr(error))) from error
