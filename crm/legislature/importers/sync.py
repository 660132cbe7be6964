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
from crm.legislature.importers import identity
from crm.legislature.importers.memberships import MembershipSync
from crm.legislature.importers.records import MAX_DETAILS, PersonRecord, Report, Roster, normalise_gender
from crm.legislature.importers.seats import sitting_today
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
from crm.legislature.operations import LegislatureError, country_code, find_or_add_term, search_key

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


class Sync(MembershipSync):
    def __init__(self, roster: Roster, options: dict, *, write: bool, actor=None, today: date | None = None):
        self.roster, self.options, self.write, self.actor = roster, options, write, actor
        self.today = today or local_today(getattr(actor, "timezone", None))
        self.report = Report(total=len(roster.persons))
        self.legislature = None
        self.term = None
        self.terms: dict = {}  # the roster's term keys -> LegislativeTerm
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
            self.roster.error(_("opciones"), "legislature", _("Indique el nombre de la legislatura."))
            return
        self.legislature = db.session.execute(select(Legislature).where(Legislature.name == name)).scalar_one_or_none()
        if self.legislature is None:
            self.report.structure["legislatures"] += 1
            country = options.get("country") or self.roster.country
            if not country:
                self.roster.error(_("opciones"), "country", _(
                    "Indique el país de «%(name)s» (--country), un código ISO 3166 como PE, DE o BG.", name=name))
                return
            try:
                country = country_code(country)
            except LegislatureError as error:
                self.roster.error(_("opciones"), "country", str(error))
                return
            # A dry run works on an unsaved legislature, so its terms bound the records as the import will.
            self.legislature = Legislature(
                name=name, country=country,
                period_label=self.roster.period_label, start_date=self.roster.legislature_start,
                end_date=self.roster.legislature_end,
            )
            if self.write:
                db.session.add(self.legislature)
                db.session.flush()
        self._prepare_term()
        self._prepare_chambers()
        self._check_sitting()
        self._prepare_groups()
        self._prepare_committees()
        if self.write:
            db.session.flush()
        self.groups_by_id.update({g.id: g for g in self.groups.values() if g is not None and g.id})

    def _prepare_term(self):
        """The terms this roster fills; open-ended records take their bounds, so "who sits" needs no join.

        A file with legislative periods gives each record its own term; otherwise the whole roster fills one.
        """
        roster = self.roster
        for key, record in roster.terms.items():
            self.terms[key] = find_or_add_term(self.legislature, record.label, record.start_date, record.end_date,
                                               write=self.write, actor=self.actor)
        if roster.terms and roster.period_label:  # --period chose one of the file's terms
            self.term = next(iter(self.terms.values()))
        elif not roster.terms:
            self.term = find_or_add_term(
                self.legislature, roster.period_label, roster.legislature_start, roster.legislature_end,
                write=self.write, actor=self.actor,
            )
        bounds = {key: (t.start_date, t.end_date) for key, t in self.terms.items()}
        start, end = (self.term.start_date, self.term.end_date) if self.term is not None else (None, None)
        roster.bound_to_term(start, end, bounds)

    def term_of(self, record):
        return self.terms.get(record.term, self.term) if record.term else self.term

    def _open(self, end: date | None, record) -> bool:
        """Open-ended: no end, or the end its term gave it."""
        term = self.term_of(record)
        return end is None or (term is not None and end == term.end_date)

    def _check_sitting(self):
        """More people sitting today than legal seats is reported, never passed over in silence."""
        for key, count in sitting_today(self.roster, self.today).items():
            chamber, record = self.chambers.get(key), self.roster.chambers.get(key)
            seats = chamber.seats if chamber is not None else (record.seats if record else None)
            if seats and count > seats:
                self.roster.warn(record.name if record else key, "seats", _(
                    "%(n)s personas tienen escaño hoy en «%(name)s», que tiene %(seats)s escaños legales. "
                    "Revise las fechas de fin (o el periodo elegido con --period).",
                    n=count, name=record.name if record else key, seats=seats))

    def _prepare_chambers(self):
        existing = {}
        if self.legislature is not None and self.legislature.id:
            rows = db.session.execute(select(Chamber).where(Chamber.legislature_id == self.legislature.id)).scalars()
            existing = {fold(c.name): c for c in rows}
        for key, record in self.roster.chambers.items():
            chamber = existing.get(fold(record.name))
            if chamber is None:
                if not record.seats:
                    if any(p.field == "seats" and p.severity == "error" for p in self.roster.problems):
                        continue  # the file's own wrong number was reported already
                    self.roster.error(_("opciones"), "seats", _("Indique el número legal de escaños de «%(v0)s» (--seats).", v0=record.name))
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
        legislature_id = self.legislature.id if self.legislature is not None else None
        member_ids = identity.members_of(legislature_id)
        self.idmap, self.taken = identity.load_ids(persons, legislature_id, member_ids)
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
        if not self._renames_allowed(matched):
            return self.report.as_dict(self.roster)
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

    def _renames_allowed(self, matched) -> bool:
        """Every rename is listed old -> new; a rename of many existing people needs --allow-renames."""
        existing = [(p, leg) for p, leg in matched if leg is not None]
        renames = [(p, leg) for p, leg in existing if leg.full_name != p.full_name]
        for person, leg in renames[:MAX_DETAILS]:
            self.report.renames.append({"where": person.where, "old": leg.full_name, "new": person.full_name})
        if identity.too_many_renames(len(renames), len(existing), bool(self.options.get("allow_renames"))):
            self.roster.error(_("opciones"), "allow_renames", _(
                "La importación cambiaría el nombre de %(n)s de las %(total)s personas que ya existen (por ejemplo "
                "«%(old)s» → «%(new)s»). ¿Es el archivo de otra legislatura? Si los cambios son correctos, repita "
                "con --allow-renames.", n=len(renames), total=len(existing), old=renames[0][1].full_name,
                new=renames[0][0].full_name))
            return False
        return True

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
        legislature_id = self.legislature.id if self.legislature is not None else None
        for scheme, value in dict.fromkeys(person.identifiers):
            owner = self.idmap.get((scheme, value))
            if owner is not None and owner != lid:
                self.roster.warn(person.where, "identifiers", _(
                    "%(scheme)s:%(value)s ya pertenece a otro legislador de esta legislatura; se omite.",
                    scheme=scheme, value=value))
            elif owner is None:
                changed.append("identifiers")
                self.report.structure["identifiers"] += 1
                if self.write:
                    stored = identity.stored_scheme(scheme, value, legislature_id, self.taken)
                    db.session.add(LegislatorIdentifier(legislator_id=lid, scheme=stored, value=value))
                    self.idmap[(scheme, value)] = lid
                    self.taken.add((stored, value))
        changed += self._sync_seats(person, lid)
        changed += self._sync_groups(person, lid)
        changed += self._sync_committees(person, lid)
        return changed

