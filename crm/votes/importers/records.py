"""What every vote-file parser produces: events with their votes, each tagged with where it came from, and the
problems found. Hostile input is bounded here: file size, JSON nesting, numbers and CSV field size."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _

from crm.core.time import local_to_utc
from crm.legislature.importers import safe
from crm.legislature.importers.records import ImportFailed, Problem, clean

MAX_BYTES = 64 * 1024 * 1024
MAX_EVENTS = 5000
MAX_VOTES_PER_EVENT = 2000
MAX_TEXT = 4000

# Spellings of the options in Popolo, the congress scrapers and by hand, folded to the seven options kept.
OPTION_WORDS = {
    "yes": "yes", "aye": "yes", "yea": "yes", "si": "yes", "sí": "yes", "a favor": "yes", "guilty": "yes",
    "no": "no", "nay": "no", "en contra": "no", "not guilty": "no",
    "abstain": "abstain", "abstention": "abstain", "present": "abstain", "abstencion": "abstain",
    "abstención": "abstain",
    "absent": "absent", "ausente": "absent",
    "on_leave": "on_leave", "on leave": "on_leave", "leave": "on_leave", "excused": "on_leave", "licencia": "on_leave",
    "not_voting": "not_voting", "not voting": "not_voting", "sin votar": "not_voting",
    "paired": "paired", "pareo": "paired",
}
RESULT_WORDS = {"pass": "pass", "passed": "pass", "agreed to": "pass", "aprobado": "pass", "aprobada": "pass",
                "fail": "fail", "failed": "fail", "rejected": "fail", "rechazado": "fail", "rechazada": "fail"}


@dataclass
class VoteRecord:
    where: str
    option: str
    name: str | None = None
    identifiers: list = field(default_factory=list)  # [(scheme, value)], tried in order


@dataclass
class EventRecord:
    where: str
    key: str
    start_at: datetime
    motion: str
    requirement: str | None = None
    result: str | None = None
    counts: dict = field(default_factory=dict)
    bill_number: str | None = None
    bill_title: str | None = None
    votes: list[VoteRecord] = field(default_factory=list)


@dataclass
class VoteFile:
    events: list[EventRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(where, field_name, message))

    def warning(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(where, field_name, message, "warning"))


def text(value, limit: int = MAX_TEXT) -> str | None:
    """records.clean (trimmed, inner spaces collapsed, empty is None), cut to `limit` characters."""
    return (clean(value) or "")[:limit] or None


def option_of(value) -> str | None:
    return OPTION_WORDS.get(" ".join(str(value or "").casefold().replace("_", " ").split())) or OPTION_WORDS.get(
        str(value or "").strip().casefold())


def result_of(value) -> str | None:
    return RESULT_WORDS.get(" ".join(str(value or "").casefold().split())) if value else None


def parse_instant(value, tz_name: str | None) -> datetime:
    """An ISO date-time; with no offset it is read in the organisation's timezone; a bare date means noon."""
    raw = str(value or "").strip()
    if not raw:
        raise ValueError(_("falta la fecha"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raw += "T12:00:00"
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else local_to_utc(moment, tz_name)


def load_json(raw: str, label: str):
    """The legislature importers' bounded JSON reader (nesting, numbers, NaN), after a size check."""
    if len(raw) > MAX_BYTES:
        raise ImportFailed(_("%(label)s: el archivo es demasiado grande.", label=label))
    return safe.load_json(raw, label)


def count_value(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 100000 else None
