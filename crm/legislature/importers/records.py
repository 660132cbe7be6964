"""The shape every importer produces: a roster of people with their memberships, plus problems found."""

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date

from flask_babel import gettext as _

from crm.core.text import fold


class ImportFailed(Exception):
    """The file cannot be read at all (bad JSON/YAML/CSV, wrong format)."""


def decode_text(raw: bytes, label: str) -> str:
    """A file's text, for the web upload and the command line alike: UTF-8 with or without a byte-order mark.

    Anything else is refused, naming the first bad byte, rather than guessed at.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(_("%(label)s: el archivo no está en UTF-8 (byte %(pos)s).", label=label, pos=error.start)) from error


@dataclass
class Problem:
    where: str  # translated location: "línea 12", "registro 3 (id 853)"
    field: str
    message: str
    severity: str = "error"  # "error" blocks the import; "warning" is reported and the value skipped

    def as_dict(self) -> dict:
        return {"where": self.where, "field": self.field, "message": self.message, "severity": self.severity}


@dataclass
class SeatRecord:
    chamber: str  # key into Roster.chambers
    district: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: str | None = None
    votes: int | None = None
    term: str | None = None  # key into Roster.terms; None: the roster's own term


@dataclass
class GroupRecord:
    kind: str  # "party" or "bancada"
    name: str
    start_date: date | None = None
    end_date: date | None = None
    term: str | None = None


@dataclass
class CommitteeRecord:
    committee: str  # key into Roster.committees
    role: str = "member"
    start_date: date | None = None
    end_date: date | None = None
    term: str | None = None


@dataclass
class PersonRecord:
    where: str
    full_name: str
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    given_name: str | None = None
    family_name: str | None = None
    sort_name: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    death_date: date | None = None
    email: str | None = None
    phone: str | None = None
    office: str | None = None
    photo_url: str | None = None
    district: str | None = None
    links: list[str] = field(default_factory=list)
    seats: list[SeatRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    committees: list[CommitteeRecord] = field(default_factory=list)

    @property
    def name_key(self) -> str:
        return fold(self.full_name)


@dataclass
class TermRecord:
    """A legislative period named by the file (Popolo `events` with classification "legislative period")."""

    label: str
    start_date: date | None = None
    end_date: date | None = None


@dataclass
class ChamberRecord:
    name: str
    seats: int | None = None


@dataclass
class CommitteeDef:
    chamber: str
    name: str
    code: str | None = None
    parent: str | None = None  # key of the parent committee


@dataclass
class Roster:
    chambers: dict[str, ChamberRecord] = field(default_factory=dict)
    committees: dict[str, CommitteeDef] = field(default_factory=dict)
    persons: list[PersonRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legislature_start: date | None = None
    legislature_end: date | None = None
    period_label: str | None = None
    terms: dict[str, TermRecord] = field(default_factory=dict)
    legislature_name: str | None = None  # the file's own name for the legislature
    country: str | None = None  # ISO 3166 code when the file names it

    def error(self, where, field_name, message):
        self.problems.append(Problem(where, field_name, message, "error"))

    def warn(self, where, field_name, message):
        self.problems.append(Problem(where, field_name, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def bound_to_term(self, start: date | None, end: date | None, terms: dict | None = None) -> None:
        """Give open-ended records their term's bounds: seats both ends, group and committee memberships the end.

        `terms` maps a record's term key to (start, end); records without a key take (start, end). First a
        membership left open by the file ends where the next one of its kind starts (a dated switch), and
        last a death date ends whatever is still open after it.
        """
        terms = terms or {}
        for person in self.persons:
            _close_switches(person.groups)
            for seat in person.seats:
                first, last = terms.get(seat.term, (start, end)) if seat.term else (start, end)
                seat.start_date = seat.start_date or first
                seat.end_date = seat.end_date or last
            for membership in (*person.groups, *person.committees):
                if membership.term:  # a membership of a named period without dates spans the period
                    first, last = terms.get(membership.term, (None, end))
                    membership.start_date = membership.start_date or first
                else:
                    last = end
                membership.end_date = membership.end_date or last
            if person.death_date:
                for record in (*person.seats, *person.groups, *person.committees):
                    if record.end_date is None or record.end_date > person.death_date:
                        record.end_date = person.death_date
            for name in ("seats", "groups", "committees"):
                # Identical records (a party given twice, as a membership and as on_behalf_of) count once.
                unique = {tuple(sorted(vars(r).items())): r for r in reversed(getattr(person, name))}
                setattr(person, name, list(reversed(unique.values())))


def _close_switches(groups: list) -> None:
    """An open membership ends the day the next dated membership of its kind starts, in the same term.

    An undated change closes nothing: without a date the file does not say when the first one ended.
    """
    by_kind: dict = defaultdict(list)
    for record in groups:
        by_kind[(record.kind, record.term)].append(record)
    for records in by_kind.values():
        dated = sorted((r for r in records if r.start_date), key=lambda r: r.start_date)
        for record in records:
            if record.end_date is not None:
                continue
            later = [r for r in dated if r.name != record.name
                     and (record.start_date is None or r.start_date > record.start_date)]
            if later:
                record.end_date = later[0].start_date


MAX_DETAILS = 300


@dataclass
class Report:
    total: int = 0
    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})
    structure: dict = field(default_factory=lambda: defaultdict(int))
    details: list = field(default_factory=list)
    renames: list = field(default_factory=list)

    def as_dict(self, roster: Roster) -> dict:
        return {
            "total": self.total,
            "counts": dict(self.counts),
            "structure": dict(self.structure),
            "details": self.details[:MAX_DETAILS],
            "renames": self.renames[:MAX_DETAILS],
            "problems": [p.as_dict() for p in roster.problems],
            "notes": list(roster.notes),
            "errors": sum(1 for p in roster.problems if p.severity == "error"),
            "warnings": sum(1 for p in roster.problems if p.severity == "warning"),
        }


def clean(value) -> str | None:
    """Trim, collapse inner spaces; empty or null becomes None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


_SMALL_WORDS = {"de", "del", "la", "las", "los", "y", "e"}


def title_place(value: str | None) -> str | None:
    """Even out place casing: "LIMA" -> "Lima", "San martin" -> "San Martin", "La libertad" -> "La Libertad"."""
    value = clean(value)
    if not value:
        return None
    words = value.lower().split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL_WORDS:
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def parse_iso_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()[:40]
    # Popolo allows reduced precision: "2011", "2011-07".
    for pattern, fill in ((r"\d{4}-\d{2}-\d{2}", ""), (r"\d{4}-\d{2}", "-01"), (r"\d{4}", "-01-01")):
        if re.fullmatch(pattern, text):
            try:
                return date.fromisoformat(text + fill)
            except ValueError:
                break  # "2011-13-01": the right shape, an impossible day; the value itself is the message
    raise ValueError(text)


_PARTICLES = {"de", "del", "la", "las", "los", "san", "y", "da", "van", "von"}


def split_spanish_name(full_name: str) -> tuple[str | None, str | None]:
    """Peruvian names end with two surnames, which may carry particles: "Yeni Vilcatoma De La Cruz"."""
    tokens = full_name.split()
    if len(tokens) < 2:
        return None, None
    surnames = []
    for _round in range(2):
        if len(tokens) <= 1:
            break
        word = [tokens.pop()]
        while len(tokens) > 1 and tokens[-1].lower() in _PARTICLES:
            word.insert(0, tokens.pop())
        surnames.insert(0, " ".join(word))
    return " ".join(tokens) or None, " ".join(surnames) or None


_GENDERS = {"f": "F", "female": "F", "mujer": "F", "femenino": "F", "m": "M", "male": "M", "hombre": "M",
            "masculino": "M"}


def normalise_gender(value) -> str | None:
    """Sources say "F", "female" or "Femenino"; Cabildeo stores F, M or X."""
    text = clean(value)
    if text is None:
        return None
    return _GENDERS.get(text.lower(), "X")


def _plain(value):
    """JSON-ready copy in one walk: dataclasses become dicts (as asdict makes them), dates ISO strings."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def dump_roster(roster: Roster) -> dict:
    """The parsed roster as plain JSON, kept by a web job so its steps never parse the file again.

    One walk instead of dataclasses.asdict (which deep-copies everything) and a second pass for the dates."""
    return _plain(roster)


def _dated(cls, data: dict):
    values = dict(data)
    for name in ("start_date", "end_date", "birth_date", "death_date", "legislature_start", "legislature_end"):
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return cls(**values)


def load_roster(data: dict) -> Roster:
    persons = []
    for item in data.get("persons", []):
        person = _dated(PersonRecord, {key: value for key, value in item.items()
                                       if key not in ("seats", "groups", "committees", "identifiers")})
        person.identifiers = [tuple(pair) for pair in item.get("identifiers", [])]
        person.seats = [_dated(SeatRecord, s) for s in item.get("seats", [])]
        person.groups = [_dated(GroupRecord, g) for g in item.get("groups", [])]
        person.committees = [_dated(CommitteeRecord, c) for c in item.get("committees", [])]
        persons.append(person)
    roster = _dated(Roster, {key: value for key, value in data.items()
                             if key not in ("persons", "chambers", "committees", "problems", "terms")})
    roster.persons = persons
    roster.chambers = {key: ChamberRecord(**value) for key, value in data.get("chambers", {}).items()}
    roster.committees = {key: CommitteeDef(**value) for key, value in data.get("committees", {}).items()}
    roster.problems = [Problem(**value) for value in data.get("problems", [])]
    roster.terms = {key: _dated(TermRecord, value) for key, value in data.get("terms", {}).items()}
    return roster
