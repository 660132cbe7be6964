"""Bring a parsed roster into the database: match, diff, and (only when asked) write.

The dry run and the real run share this code; with write=False nothing is added to the session or changed,
so the counts shown before confirming are the counts the import will produce.
"""

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.core import audit
from crm.core.text import fold
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.legislature.importers.records import MAX_DETAILS, PersonRecord, Report, Roster, normalise_gender
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    LegislatorIdentifier,
    Legislature,
    SeatMembership,
)
from crm.legislature.operations import find_or_add_term, search_key

FIELDS = (
    "full_name", "given_name", "family_name", "sort_name", "gender", "birth_date", "email", "phone", "office",
    "photo_url", "district",
)
def _sort_name(person: PersonRecord) -> str:
    if person.sort_name:
        return person.sort_name
    if person.family_name and person.given_name:
        return f"{person.family_name}, {person.given_name}"
    return person.full_name


class Sync:
    def __init__(self, roster: Roster, options: dict, *, write: bool, actor=None, today: date | None = None):
        self.roster, self.options, self.write, self.actor = roster, options, write, actor
        self.today = today or local_today(getattr(actor, "timezone", None))
        self.report = Report(total=len(roster.persons))
        self.legislature = None
        self.term = None
        self.chambers: dict = {}
        self.committees: dict = {}
        self.groups: dict = {}

    # --- structure: legislature, chambers, committees, groups -------------------------------------------------
    def prepare(self) -> None:
        if self.write and self.roster.has_errors:
            raise ValueError("a roster with errors is never written")
        options = self.options
        name = (options.get("legislature") or "").strip()
        if not name:
            self.roster.error("opciones", "legislature", _("Indique el nombre de la legislatura."))
            return
        self.legislature = db.session.execute(select(Legislature).where(Legislature.name == name)).scalar_one_or_none()
        if self.legislature is None:
            self.report.structure["legislatures"] += 1
            if self.write:
                self.legislature = Legislature(
                    name=name, country=(options.get("country") or "PE")[:2].upper(),
                    period_label=self.roster.period_label, start_date=self.roster.legislature_start,
                    end_date=self.roster.legislature_end,
                )
                db.session.add(self.legislature)
                db.session.flush()
        self._prepare_term()
        self._prepare_chambers()
        self._prepare_groups()
        self._prepare_committees()
        if self.write:
            db.session.flush()
        self.groups_by_id.update({g.id: g for g in self.groups.values() if g is not None and g.id})

    def _prepare_term(self):
        """The term this roster fills; open-ended records take its bounds, so "who sits" needs no join."""
        roster = self.roster
        self.term = find_or_add_term(
            self.legislature, roster.period_label, roster.legislature_start, roster.legislature_end,
            write=self.write, actor=self.actor,
        )
        if self.term is not None:
            roster.bound_to_term(self.term.start_date, self.term.end_date)

    def _open(self, end: date | None) -> bool:
        """Open-ended: no end, or the end its term gave it."""
        return end is None or (self.term is not None and end == self.term.end_date)

    def _prepare_chambers(self):
        existing = {}
        if self.legislature is not None and self.legislature.id:
            rows = db.session.execute(select(Chamber).where(Chamber.legislature_id == self.legislature.id)).scalars()
            existing = {fold(c.name): c for c in rows}
        for key, record in self.roster.chambers.items():
            chamber = existing.get(fold(record.name))
            if chamber is None:
                if not record.seats:
                    self.roster.error("opciones", "seats", _("Indique el número legal de escaños de «%(v0)s» (--seats).", v0=record.name))
                    continue
                self.report.structure["chambers"] += 1
                if self.write:
                    chamber = Chamber(legislature_id=self.legislature.id, name=record.name, seats=record.seats)
                    db.session.add(chamber)
                    existing[fold(record.name)] = chamber
            self.chambers[key] = chamber
        if self.write:
            db.session.flush()

    def _prepare_groups(self):
        existing = {}
        if self.legislature is not None and self.legislature.id:
            rows = db.session.execute(select(Group).where(Group.legislature_id == self.legislature.id)).scalars()
            existing = {(g.kind, fold(g.name)): g for g in rows}
        self.groups_by_id = {g.id: g for g in existing.values()}
        for person in self.roster.persons:
            for record in person.groups:
                key = (record.kind, fold(record.name))
                if key in self.groups:
                    continue
                group = existing.get(key)
                if group is None:
                    self.report.structure["groups"] += 1
                    if self.write:
                        group = Group(legislature_id=self.legislature.id, kind=record.kind, name=record.name)
                        db.session.add(group)
                self.groups[key] = group

    def _prepare_committees(self):
        chamber_ids = [c.id for c in self.chambers.values() if c is not None and c.id]
        existing = {}
        if chamber_ids:
            for c in db.session.execute(select(Committee).where(Committee.chamber_id.in_(chamber_ids))).scalars():
                existing[(c.chamber_id, c.code or fold(c.name))] = c
        # Parents first, so subcommittees can point at them.
        for key, record in sorted(self.roster.committees.items(), key=lambda kv: kv[1].parent is not None):
            chamber = self.chambers.get(record.chamber)
            committee = existing.get((chamber.id, record.code or fold(record.name))) if chamber is not None else None
            if committee is None:
                self.report.structure["committees"] += 1
                if self.write and chamber is not None:
                    parent = self.committees.get(record.parent) if record.parent else None
                    if parent is not None and parent.id is None:
                        db.session.flush()
                    committee = Committee(
                        chamber_id=chamber.id, name=record.name, code=record.code,
                        parent_id=parent.id if parent is not None else None,
                    )
                    db.session.add(committee)
            self.committees[key] = committee

    # --- people ----------------------------------------------------------------------------------------------
    def _load_people(self, persons):
        schemes = {scheme for p in persons for scheme, _ in p.identifiers}
        self.idmap = {}
        if schemes:
            rows = db.session.execute(
                select(LegislatorIdentifier.scheme, LegislatorIdentifier.value, LegislatorIdentifier.legislator_id)
                .where(LegislatorIdentifier.scheme.in_(schemes))
            )
            self.idmap = {(s, v): lid for s, v, lid in rows}
        chamber_ids = [c.id for c in self.chambers.values() if c is not None and c.id]
        member_ids = set()
        if chamber_ids:
            member_ids = set(db.session.execute(
                select(SeatMembership.legislator_id).where(SeatMembership.chamber_id.in_(chamber_ids))
            ).scalars())
        ids = member_ids | set(self.idmap.values())
        self.legislators, self.by_name = {}, defaultdict(list)
        self.seats, self.group_members, self.committee_members = defaultdict(list), defaultdict(list), defaultdict(list)
        if not ids:
            return
        rows = db.session.execute(
            select(Legislator).where(Legislator.id.in_(ids)).options(selectinload(Legislator.identifiers))
        ).scalars()
        for leg in rows:
            self.legislators[leg.id] = leg
            if leg.id in member_ids:
                self.by_name[fold(leg.full_name)].append(leg)
        for model, target in (
            (SeatMembership, self.seats), (GroupMembership, self.group_members),
            (CommitteeMembership, self.committee_members),
        ):
            for row in db.session.execute(select(model).where(model.legislator_id.in_(ids))).scalars():
                target[row.legislator_id].append(row)

    def _match(self, person: PersonRecord, claimed: set):
        for key in person.identifiers:
            lid = self.idmap.get(key)
            if lid is not None and lid in self.legislators:
                return self.legislators[lid]
        for leg in self.by_name.get(person.name_key, []):
            if leg.id not in claimed:
                return leg
        return None

    def run(self, start: int = 0, stop: int | None = None, progress=None) -> dict:
        persons = self.roster.persons[start:stop]
        self._load_people(persons)
        claimed: set = set()
        matched = []
        for person in persons:
            leg = self._match(person, claimed)
            if leg is not None:
                claimed.add(leg.id)
            matched.append((person, leg))
        if self.write:
            now = utcnow()
            for index, (person, leg) in enumerate(matched):
                if leg is None:
                    leg = Legislator(full_name=person.full_name, sort_name=_sort_name(person), search_name="",
                                     created_at=now, updated_at=now, links=[])
                    leg.is_new = True
                    db.session.add(leg)
                    matched[index] = (person, leg)
            db.session.flush()
        for done, (person, leg) in enumerate(matched, start=1):
            self._sync_person(person, leg)
            if progress:
                progress(done, len(persons))
        if self.write:
            db.session.flush()
        return self.report.as_dict(self.roster)

    def _sync_person(self, person: PersonRecord, leg) -> None:
        is_new = leg is None or getattr(leg, "is_new", False)
        old, new = {}, {}
        wanted = {name: getattr(person, name) for name in FIELDS if getattr(person, name) not in (None, "")}
        if "gender" in wanted:
            wanted["gender"] = normalise_gender(wanted["gender"])
        if is_new:
            wanted["sort_name"] = _sort_name(person)
        for name, value in wanted.items():
            current = getattr(leg, name) if leg is not None else None
            if current != value:
                old[name], new[name] = current, value
        links = list(leg.links or []) if leg is not None else []
        extra = [link for link in dict.fromkeys(person.links) if link not in links]
        if extra:
            old["links"], new["links"] = links, links + extra
        child_changes = self._children(person, leg)
        if is_new:
            self.report.counts["create"] += 1
        elif new or child_changes:
            self.report.counts["update"] += 1
            if len(self.report.details) < MAX_DETAILS:
                self.report.details.append(
                    {"where": person.where, "name": person.full_name, "changes": sorted({*new, *child_changes})}
                )
        else:
            self.report.counts["unchanged"] += 1
        if self.write and (new or is_new):
            for name, value in new.items():
                setattr(leg, name, value)
            leg.search_name = search_key(leg)
            leg.updated_at = utcnow()
            if is_new:
                # run() flushed new legislators already, so they have ids here.
                audit.record("legislator.import_create", leg, new=new, actor=self.actor)
            else:
                audit.record("legislator.import_update", leg, old=old, new=new, actor=self.actor)

    def _children(self, person: PersonRecord, leg) -> list[str]:
        lid = leg.id if leg is not None else None
        changed = []
        for scheme, value in dict.fromkeys(person.identifiers):
            owner = self.idmap.get((scheme, value))
            if owner is not None and owner != lid:
                self.roster.warn(person.where, "identifiers", _("%(scheme)s:%(value)s ya pertenece a otro legislador; se omite.", scheme=scheme, value=value))
            elif owner is None:
                changed.append("identifiers")
                self.report.structure["identifiers"] += 1
                if self.write:
                    db.session.add(LegislatorIdentifier(legislator_id=lid, scheme=scheme, value=value))
                    self.idmap[(scheme, value)] = lid
        changed += self._sync_seats(person, lid)
        changed += self._sync_groups(person, lid)
        changed += self._sync_committees(person, lid)
        return changed

    def _upsert(self, existing, key_of, key, values: dict, factory, label):
        """Update the membership with this key or create one; returns labels of what changed.

        Keys are (organisation id, start date). A row without a start date (from a source that has none, like the
        congress-legislators CSV) matches a dated record for the same organisation and the other way round, so
        importing the CSV and then the YAML of the same people does not double their seats.
        """
        target_id, start = key
        row = next((r for r in existing if key_of(r) == key), None)
        if row is None:
            row = next(
                (r for r in existing if key_of(r)[0] == target_id and (key_of(r)[1] is None or start is None)), None
            )
            if row is not None and start is not None:
                values = {**values, "start_date": start}
        if row is None:
            self.report.structure[label] += 1
            if self.write:
                row = factory()
                for name, value in values.items():
                    setattr(row, name, value)
                db.session.add(row)
                existing.append(row)
            return [label]
        diff = {name: value for name, value in values.items() if getattr(row, name) != value}
        if diff and self.write:
            for name, value in diff.items():
                setattr(row, name, value)
        return [label] if diff else []

    def _sync_seats(self, person, lid) -> list[str]:
        changed = []
        existing = self.seats[lid] if lid is not None else []
        for record in person.seats:
            chamber = self.chambers.get(record.chamber)
            if chamber is None or chamber.id is None:
                changed += ["seats"]
                self.report.structure["seats"] += 1
                continue
            changed += self._upsert(
                existing, lambda r: (r.chamber_id, r.start_date), (chamber.id, record.start_date),
                {"district": record.district, "end_date": record.end_date, "status": record.status, "votes": record.votes,
                 "term_id": self.term.id if self.term is not None else None},
                lambda chamber=chamber, record=record: SeatMembership(
                    legislator_id=lid, chamber_id=chamber.id, start_date=record.start_date
                ), "seats",
            )
        return changed

    def _sync_groups(self, person, lid) -> list[str]:
        changed = []
        existing = self.group_members[lid] if lid is not None else []
        for record in person.groups:
            group = self.groups.get((record.kind, fold(record.name)))
            if group is None or group.id is None:
                if self.write:
                    db.session.flush()
                if group is None or group.id is None:
                    changed += ["groups"]
                    self.report.structure["group_memberships"] += 1
                    continue
            if self._open(record.end_date):
                changed += self._close_switched(existing, group, record)
            changed += [
                "groups" for _ in self._upsert(
                    existing, lambda r: (r.group_id, r.start_date), (group.id, record.start_date),
                    {"end_date": record.end_date},
                    lambda group=group, record=record: GroupMembership(
                        legislator_id=lid, group_id=group.id, start_date=record.start_date
                    ), "group_memberships",
                )
            ]
        return changed

    def _close_switched(self, existing, group, record) -> list[str]:
        """A new open membership of a kind closes the previous open one: a switch becomes history."""
        changed = []
        for row in existing:
            other = self.groups_by_id.get(row.group_id)
            if self._open(row.end_date) and row.group_id != group.id and other is not None and other.kind == group.kind:
                changed.append("groups")
                if self.write:
                    row.end_date = record.start_date or self.today
        return changed

    def _sync_committees(self, person, lid) -> list[str]:
        changed = []
        existing = self.committee_members[lid] if lid is not None else []
        for record in person.committees:
            committee = self.committees.get(record.committee)
            if committee is not None and committee.id is None and self.write:
                db.session.flush()
            if committee is None or committee.id is None:
                changed += ["committees"]
                self.report.structure["committee_memberships"] += 1
                continue
            changed += [
                "committees" for _ in self._upsert(
                    existing, lambda r: (r.committee_id, r.start_date), (committee.id, record.start_date),
                    {"role": record.role, "end_date": record.end_date},
                    lambda committee=committee, record=record: CommitteeMembership(
                        legislator_id=lid, committee_id=committee.id, start_date=record.start_date
                    ), "committee_memberships",
                )
            ]
        return changed
