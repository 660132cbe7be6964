"""Matching a parsed vote file against the roster (the plan, i.e. the dry run) and writing it (apply).

Legislators are matched by identifier (scheme and value) first, then by normalised name among those sitting in
the body on the vote's day (Tenure.active_on, the one rule). Re-importing the same file changes nothing: events
are keyed by their source id, and only new or changed votes are written. Nothing is written while the plan has
an error.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update

from crm.core import audit
from crm.core.text import fold
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.legislature.importers.records import ImportFailed
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Legislator,
    LegislatorIdentifier,
    SeatMembership,
)
from crm.votes import operations
from crm.votes.importers.records import VoteFile
from crm.votes.models import Bill, Vote, VoteEvent

MAX_DETAILS = 300
EVENT_FIELDS = ("start_at", "motion", "requirement", "result", "declared_counts", "bill_id")


@dataclass
class Body:
    chamber_id: int | None
    committee_id: int | None
    legislature_id: int
    name: str


@dataclass
class Plan:
    body: Body
    parsed: VoteFile
    resolved: list = field(default_factory=list)  # [(EventRecord, {legislator_id: option})]
    existing: dict = field(default_factory=dict)  # source_key -> VoteEvent
    existing_votes: dict = field(default_factory=dict)  # event id -> {legislator_id: (vote id, option)}
    bills: dict = field(default_factory=dict)  # number -> Bill or None (to create)
    unmatched: list = field(default_factory=list)
    report: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.report["errors"]


def resolve_body(chamber_id=None, committee_id=None) -> Body:
    if committee_id:
        row = db.session.execute(
            select(Committee, Chamber.legislature_id).join(Chamber, Chamber.id == Committee.chamber_id)
            .where(Committee.id == committee_id)
        ).first()
        if row is None:
            raise ImportFailed(_("Comisión desconocida: %(id)s.", id=committee_id))
        return Body(None, row[0].id, row[1], row[0].name)
    chamber = db.session.get(Chamber, chamber_id) if chamber_id else None
    if chamber is None:
        raise ImportFailed(_("Indique la cámara o la comisión que votó."))
    return Body(chamber.id, None, chamber.legislature_id, chamber.name)


def _name_keys(person: Legislator) -> set[str]:
    keys = {fold(person.full_name), fold(person.sort_name)}
    if person.given_name and person.family_name:
        keys |= {fold(f"{person.given_name} {person.family_name}"), fold(f"{person.family_name}, {person.given_name}")}
    return {k for k in keys if k}


class _Roster:
    """The body's memberships with their holders' names; who sits on a day is Tenure.active_on."""

    def __init__(self, body: Body):
        holder = CommitteeMembership if body.committee_id else SeatMembership
        where = (holder.committee_id == body.committee_id) if body.committee_id else (holder.chamber_id == body.chamber_id)
        self.rows = db.session.execute(
            select(holder, Legislator).join(Legislator, Legislator.id == holder.legislator_id).where(where)
        ).all()
        self._by_day = {}

    def sitting(self, day) -> set[int]:
        return set(self.names(day)[1])

    def names(self, day):
        if day not in self._by_day:
            index, family, ids = defaultdict(set), defaultdict(set), set()
            for membership, person in self.rows:
                if membership.active_on(day):
                    ids.add(person.id)
                    for key in _name_keys(person):
                        index[key].add(person.id)
                    if person.family_name:
                        family[fold(person.family_name)].add(person.id)
            self._by_day[day] = ({**family, **index}, ids)
        return self._by_day[day]


def _identifier_map(parsed: VoteFile) -> dict:
    wanted = {ident for event in parsed.events for vote in event.votes for ident in vote.identifiers}
    values = sorted({value for _s, value in wanted})
    found = {}
    for start in range(0, len(values), 500):
        for scheme, value, legislator_id in db.session.execute(
            select(LegislatorIdentifier.scheme, LegislatorIdentifier.value, LegislatorIdentifier.legislator_id)
            .where(LegislatorIdentifier.value.in_(values[start:start + 500]))
        ):
            if (scheme, value) in wanted:
                found[(scheme, value)] = legislator_id
    return found


def plan(parsed: VoteFile, body: Body, tz_name: str | None = None) -> Plan:
    result = Plan(body=body, parsed=parsed)
    roster, by_identifier = _Roster(body), _identifier_map(parsed)
    seen_keys = set()
    for event in parsed.events:
        if event.key in seen_keys:
            parsed.error(event.where, "id", _("La votación %(key)s aparece dos veces.", key=event.key))
            continue
        seen_keys.add(event.key)
        day = local_today(tz_name, event.start_at)
        names, _sitting = roster.names(day)
        chosen, lines = {}, {}
        for vote in event.votes:
            legislator_id = next((by_identifier[i] for i in vote.identifiers if i in by_identifier), None)
            if legislator_id is None and vote.name:
                candidates = names.get(fold(vote.name), set())
                if len(candidates) == 1:
                    legislator_id = next(iter(candidates))
                elif len(candidates) > 1:
                    parsed.error(vote.where, "legislator", _("«%(name)s» coincide con varias personas en %(body)s.",
                                                             name=vote.name, body=body.name))
                    continue
            if legislator_id is None:
                shown = vote.name or " ".join(f"{s}:{v}" for s, v in vote.identifiers)
                result.unmatched.append({"where": vote.where, "name": shown})
                parsed.error(vote.where, "legislator", _(
                    "«%(name)s» no coincide con nadie que integrara %(body)s el %(day)s.",
                    name=shown, body=body.name, day=day.isoformat()))
                continue
            if legislator_id in chosen:
                parsed.error(vote.where, "legislator", _("Esta persona ya votó en esta votación (%(where)s).",
                                                         where=lines[legislator_id]))
                continue
            chosen[legislator_id], lines[legislator_id] = vote.option, vote.where
        counted = defaultdict(int)
        for option in chosen.values():
            counted[option] += 1
        for option, declared in event.counts.items():
            if declared != counted.get(option, 0):
                parsed.warning(event.where, "counts", _("El recuento declarado de «%(option)s» (%(declared)s) no "
                                                        "coincide con los votos (%(found)s).", option=option,
                                                        declared=declared, found=counted.get(option, 0)))
        result.resolved.append((event, chosen))
    _load_existing(result)
    result.report = _report(result)
    return result


def _load_existing(result: Plan) -> None:
    keys = [event.key for event, _v in result.resolved]
    for start in range(0, len(keys), 500):
        for event in db.session.execute(select(VoteEvent).where(VoteEvent.source_key.in_(keys[start:start + 500]))).scalars():
            result.existing[event.source_key] = event
    for event_record, _votes in result.resolved:
        found = result.existing.get(event_record.key)
        if found is not None and (found.chamber_id, found.committee_id) != (result.body.chamber_id, result.body.committee_id):
            result.parsed.error(event_record.where, "id", _("Esta votación ya existe en otro órgano."))
    ids = [e.id for e in result.existing.values()]
    for start in range(0, len(ids), 500):
        for vote_id, event_id, legislator_id, option in db.session.execute(
            select(Vote.id, Vote.vote_event_id, Vote.legislator_id, Vote.option).where(Vote.vote_event_id.in_(ids[start:start + 500]))
        ):
            result.existing_votes.setdefault(event_id, {})[legislator_id] = (vote_id, option)
    numbers = sorted({e.bill_number for e, _v in result.resolved if e.bill_number})
    known = {b.number: b for b in db.session.execute(
        select(Bill).where(Bill.legislature_id == result.body.legislature_id, Bill.number.in_(numbers))).scalars()} if numbers else {}
    result.bills = {n: known.get(n) for n in numbers}


def _changes(result: Plan, event, chosen):
    found = result.existing.get(event.key)
    before = result.existing_votes.get(found.id, {}) if found is not None else {}
    new = {lid: opt for lid, opt in chosen.items() if lid not in before}
    changed = {lid: (before[lid][0], opt) for lid, opt in chosen.items() if lid in before and before[lid][1] != opt}
    removed = [vid for lid, (vid, _o) in before.items() if lid not in chosen]
    return found, new, changed, removed


def _event_values(result: Plan, event) -> dict:
    bill = result.bills.get(event.bill_number) if event.bill_number else None
    return {"start_at": event.start_at, "motion": event.motion, "requirement": event.requirement,
            "result": event.result, "declared_counts": event.counts or None, "bill_id": bill.id if bill else None}


def _fields_differ(found: VoteEvent, values: dict) -> bool:
    return any(getattr(found, name) != values[name] for name in EVENT_FIELDS if not (name == "bill_id" and values[name] is None))


def _report(result: Plan) -> dict:
    counts = defaultdict(int)
    for event, chosen in result.resolved:
        found, new, changed, removed = _changes(result, event, chosen)
        counts["events"] += 1
        counts["votes"] += len(chosen)
        counts["new_votes"] += len(new)
        counts["changed_votes"] += len(changed)
        counts["removed_votes"] += len(removed)
        if found is None:
            counts["new_events"] += 1
        elif new or changed or removed or _fields_differ(found, _event_values(result, event)):
            counts["changed_events"] += 1
    counts["new_bills"] = sum(1 for b in result.bills.values() if b is None)
    problems = [p.as_dict() for p in result.parsed.problems]
    return {
        **{k: counts[k] for k in ("events", "votes", "new_events", "changed_events", "new_votes", "changed_votes",
                                  "removed_votes", "new_bills")},
        "errors": [p for p in problems if p["severity"] == "error"][:MAX_DETAILS],
        "error_count": sum(1 for p in problems if p["severity"] == "error"),
        "warnings": [p for p in problems if p["severity"] == "warning"][:MAX_DETAILS],
        "unmatched": result.unmatched[:MAX_DETAILS],
    }


def apply(result: Plan, actor, progress=None, chunk: int = 25) -> dict:
    """Write the plan; refuses a plan with errors. Flushes only: the caller commits once."""
    if not result.ok:
        raise ImportFailed(_("La importación tiene errores; no se ha escrito nada."))
    for number, bill in list(result.bills.items()):
        if bill is None:
            title = next((e.bill_title for e, _v in result.resolved if e.bill_number == number and e.bill_title), None)
            result.bills[number] = operations.create_bill(legislature_id=result.body.legislature_id, number=number,
                                                          title=title or number, actor=actor)
    total, done = len(result.resolved), 0
    for start in range(0, total, chunk):
        batch = result.resolved[start:start + chunk]
        pending = []
        for event, chosen in batch:
            found, new, changed, removed = _changes(result, event, chosen)
            values = _event_values(result, event)
            if found is None:
                found = VoteEvent(source_key=event.key, chamber_id=result.body.chamber_id,
                                  committee_id=result.body.committee_id, created_at=utcnow(), **values)
                db.session.add(found)
                pending.append((found, new, changed, removed, "new"))
            elif new or changed or removed or _fields_differ(found, values):
                for name, value in values.items():
                    if value is not None or name != "bill_id":
                        setattr(found, name, value)
                pending.append((found, new, changed, removed, "changed"))
        db.session.flush()
        rows = [{"vote_event_id": found.id, "legislator_id": lid, "option": opt}
                for found, new, _c, _r, _k in pending for lid, opt in new.items()]
        if rows:
            db.session.execute(insert(Vote), rows)
        changes = [{"id": vote_id, "option": option} for _f, _n, changed, _r, _k in pending
                   for vote_id, option in changed.values()]
        if changes:
            db.session.execute(update(Vote), changes)  # one executemany by primary key
        for found, _n, changed, removed, kind in pending:
            if removed:
                db.session.execute(delete(Vote).where(Vote.id.in_(removed)))
            audit.record("vote_event.import", found, actor=actor, new={
                "source_key": found.source_key, "kind": kind, "new_votes": len(_n), "changed_votes": len(changed),
                "removed_votes": len(removed)})
        done += len(batch)
        if progress:
            progress(done, total)
    return {k: result.report[k] for k in ("events", "new_events", "changed_events", "new_votes", "changed_votes",
                                          "removed_votes", "new_bills")}
