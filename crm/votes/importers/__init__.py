"""Vote importers: each format's parse(text, tz_name) returns a VoteFile; sync.plan matches it (the dry run)
and sync.apply writes it."""

from flask_babel import gettext as _

from crm.legislature.importers.records import ImportFailed, decode_text
from crm.votes.importers import congress, plaincsv, popolo, sync
from crm.votes.importers.records import VoteFile

FORMATS = {"popolo": popolo.parse, "congress": congress.parse, "csv": plaincsv.parse}
FORMAT_LABELS = {"popolo": "Popolo vote_events (JSON)", "congress": "unitedstates/congress data.json", "csv": "CSV"}

__all__ = ["FORMATS", "FORMAT_LABELS", "ImportFailed", "decode_text", "parse", "sync", "check"]


def parse(fmt: str, text: str, tz_name: str | None = None) -> VoteFile:
    if fmt not in FORMATS:
        raise ImportFailed(_("Formato desconocido «%(fmt)s». Use uno de: %(v1)s.", fmt=fmt, v1=", ".join(FORMATS)))
    try:
        return FORMATS[fmt](text, tz_name)
    except ImportFailed:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ImportFailed(_("El archivo no tiene la estructura esperada para %(v0)s: %(v1)s",
                             v0=FORMAT_LABELS[fmt], v1=repr(error)[:200])) from error


def check(fmt: str, text: str, *, chamber_id=None, committee_id=None, tz_name: str | None = None) -> "sync.Plan":
    """The dry run: parse and match, write nothing."""
    body = sync.resolve_body(chamber_id, committee_id)
    return sync.plan(parse(fmt, text, tz_name), body, tz_name)
