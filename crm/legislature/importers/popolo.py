"""Popolo JSON (popoloproject.com, EveryPolitician): persons, organizations, memberships, areas and periods.

- `events` with classification "legislative period" become terms; a membership's `legislative_period_id`
  dates it by its term when it has no dates of its own. `--period` picks one term (by id, name or years) or
  `all` (the default).
- `area_id` (or an inline `area`, or a `post_id` whose post has an `area_id`) gives the seat its district.
- The organization with classification "legislature" names the legislature.
- A person's `death_date` ends whatever is still open after it.
"""

from datetime import date

from flask_babel import gettext as _

from crm.core.text import fold
from crm.legislature.importers.records import (
    ChamberRecord,
    CommitteeDef,
    CommitteeRecord,
    GroupRecord,
    ImportFailed,
    PersonRecord,
    Roster,
    SeatRecord,
    TermRecord,
    clean,
    parse_iso_date,
)
from crm.legislature.importers.safe import load_json
from crm.legislature.importers.seats import MAX_SEATS, infer_seats
from crm.legislature.importers.terms import pick_period

CHAMBER_CLASSES = {"legislature", "chamber", "house", "lower house", "upper house", "parliament"}
PARTY_CLASSES = {"party", "political party"}
BANCADA_CLASSES = {"parliamentary group", "bancada", "faction", "caucus", "group", "parliamentary faction"}
COMMITTEE_CLASSES = {"committee", "subcommittee", "commission", "comisión"}
DEFAULT_CHAMBER = "main"


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dates(item: dict, roster: Roster, where: str):
    dates = []
    for name in ("start_date", "end_date"):
        try:
            dates.append(parse_iso_date(item.get(name)))
        except ValueError as error:
            roster.error(where, name, _("«%(value)s» no es una fecha AAAA-MM-DD.", value=error))
            return None
    return tuple(dates)


def _role(role: str | None) -> str:
    text = fold(clean(role))
    if "vice" in text:
        return "vice_chair"
    if "secretar" in text:
        return "secretary"
    if "chair" in text or "president" in text:
        return "chair"
    return "member"


def _seats(org: dict, roster: Roster, where: str, options: dict):
    seats = org.get("seats")
    if seats is None:
        return options.get("seats")
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= MAX_SEATS:
        roster.error(where, "seats", _("«%(seats)s» no es un número de escaños válido (de 1 a %(max)s).",
                                       seats=str(seats)[:40], max=MAX_SEATS))
        return None
    return seats


def _read_organizations(data, roster, options, used: set) -> dict:
    """Map organization id -> ("chamber"|"party"|"bancada"|"committee", key or name)."""
    kinds = {}
    orgs = [(index, org) for index, org in enumerate(_list(data.get("organizations")))]
    classes = {fold(clean(_dict(org).get("classification"))) for _i, org in orgs}
    # A "legislature" that holds chambers is only the legislature's name, unless people sit in it directly.
    has_chambers = bool(classes & (CHAMBER_CLASSES - {"legislature", "parliament"}))
    for index, org in orgs:
        where = f"organizations[{index}]"
        org = _dict(org)
        oid, name, cls = clean(org.get("id")), clean(org.get("name")), fold(clean(org.get("classification")))
        if cls == "legislature" and name and not roster.legislature_name:
            roster.legislature_name = name[:200]
            roster.country = roster.country or clean(org.get("country_code") or org.get("country"))
        if not oid or not name:
            # An organization nobody points at cannot hurt the import: say so and go on.
            problem = roster.error if oid in used else roster.warn
            problem(where, "id" if not oid else "name",
                    _("La organización «%(name)s» no tiene %(field)s; se omite.", name=name or oid or "",
                      field="id" if not oid else "name"))
            continue
        if cls in CHAMBER_CLASSES and not (cls in ("legislature", "parliament") and has_chambers and oid not in used):
            roster.chambers[oid] = ChamberRecord(name=name[:120], seats=_seats(org, roster, where, options))
            kinds[oid] = ("chamber", oid)
        elif cls in PARTY_CLASSES:
            kinds[oid] = ("party", name)
        elif cls in BANCADA_CLASSES:
            kinds[oid] = ("bancada", name)
        elif cls in COMMITTEE_CLASSES:
            kinds[oid] = ("committee", oid)
        elif cls not in ("legislature", "parliament") and oid in used:
            roster.warn(where, "classification", _("Clasificación «%(value)s» no reconocida; se omite.",
                                                   value=org.get("classification")))
    if not roster.chambers:
        roster.chambers[DEFAULT_CHAMBER] = ChamberRecord(name=options.get("chamber") or "Pleno", seats=options.get("seats"))
    first_chamber = next(iter(roster.chambers))
    for _index, org in orgs:
        org = _dict(org)
        oid = clean(org.get("id"))
        if kinds.get(oid, ("",))[0] == "committee":
            parent = clean(org.get("parent_id"))
            roster.committees[oid] = CommitteeDef(
                chamber=parent if parent in roster.chambers else first_chamber, name=clean(org["name"]), code=oid[:40],
                parent=parent if kinds.get(parent, ("",))[0] == "committee" else None,
            )
    for committee in roster.committees.values():
        if committee.parent:
            committee.chamber = roster.committees[committee.parent].chamber
    return kinds


def _read_person(item, index, roster, seen: dict) -> PersonRecord | None:
    where = f"persons[{index}]"
    if not isinstance(item, dict):
        roster.error(where, "", _("No es un objeto."))
        return None
    pid, name = clean(item.get("id")), clean(item.get("name"))
    if not pid:
        roster.error(where, "id", _("Falta el id de la persona «%(name)s».", name=name or ""))
    if not name:
        roster.error(where, "name", _("Falta el nombre de la persona «%(id)s».", id=pid or ""))
    if not pid or not name:
        return None
    if pid in seen:
        roster.error(where, "id", _("El id «%(id)s» de «%(name)s» ya es el de «%(other)s» (%(first)s).",
                                    id=pid, name=name, other=seen[pid].full_name, first=seen[pid].where))
        return None
    person = PersonRecord(where=f"{where} ({pid})", full_name=name[:200])
    person.identifiers.append(("popolo", pid[:120]))
    for ident in _list(item.get("identifiers")):
        scheme, value = clean(_dict(ident).get("scheme")), clean(_dict(ident).get("identifier"))
        if scheme and value:
            person.identifiers.append((scheme[:40], value[:120]))
    person.given_name, person.family_name = clean(item.get("given_name")), clean(item.get("family_name"))
    person.sort_name = clean(item.get("sort_name"))
    person.gender = clean(item.get("gender"))
    for name_ in ("birth_date", "death_date"):
        try:
            setattr(person, name_, parse_iso_date(item.get(name_)))
        except ValueError as error:
            roster.warn(person.where, name_, _("«%(value)s» no es una fecha AAAA-MM-DD; se omite.", value=error))
    person.email = clean(item.get("email"))
    person.photo_url = clean(item.get("image"))
    for contact in _list(item.get("contact_details")):
        kind, value = fold(clean(_dict(contact).get("type"))), clean(_dict(contact).get("value"))
        if kind == "email" and not person.email:
            person.email = value
        elif kind in ("voice", "phone", "cell") and not person.phone:
            person.phone = value
        elif kind == "address" and not person.office:
            person.office = value
    person.links = [clean(_dict(link).get("url")) for link in _list(item.get("links")) if clean(_dict(link).get("url"))]
    return person


def _areas(data) -> tuple[dict, dict]:
    areas = {clean(_dict(a).get("id")): clean(_dict(a).get("name")) for a in _list(data.get("areas"))}
    posts = {clean(_dict(p).get("id")): clean(_dict(p).get("area_id")) for p in _list(data.get("posts"))}
    return areas, posts


def _district(item: dict, areas: dict, posts: dict) -> str | None:
    area = item.get("area")
    if isinstance(area, dict) and clean(area.get("name")):
        return clean(area["name"])[:120]
    area_id = clean(item.get("area_id")) or posts.get(clean(item.get("post_id")))
    name = areas.get(area_id)
    return name[:120] if name else None


def _read_terms(data, roster: Roster) -> None:
    labels = set()
    for index, event in enumerate(_list(data.get("events"))):
        event = _dict(event)
        if fold(clean(event.get("classification"))) != "legislative period" or not clean(event.get("id")):
            continue
        dates = _dates(event, roster, f"events[{index}]")
        if dates is None:
            continue
        label = (clean(event.get("name")) or clean(event["id"]))[:80]
        if label in labels:
            label = f"{label[:60]} ({clean(event['id'])[:18]})"
        labels.add(label)
        roster.terms[clean(event["id"])] = TermRecord(label, *dates)


def parse(files: dict, options: dict, today) -> Roster:
    data = load_json(files["main"], _("Archivo"))
    if not isinstance(data, dict) or not isinstance(data.get("persons"), list):
        raise ImportFailed(_("Se esperaba un objeto Popolo con una lista «persons»."))
    roster = Roster(period_label=options.get("period"))
    memberships = [_dict(m) for m in _list(data.get("memberships"))]
    used = {clean(m.get(k)) for m in memberships for k in ("organization_id", "on_behalf_of_id")} - {None}
    _read_terms(data, roster)
    wanted = pick_period(roster, options.get("period"))
    kinds = _read_organizations(data, roster, options, used)
    areas, posts = _areas(data)
    people, seen, rejected = {}, {}, set()
    for index, item in enumerate(data["persons"]):
        person = _read_person(item, index, roster, seen)
        if person:
            people[clean(item["id"])] = seen[clean(item["id"])] = person
            roster.persons.append(person)
        elif isinstance(item, dict) and clean(item.get("id")):
            rejected.add(clean(item["id"]))
    for index, item in enumerate(memberships):
        where = f"memberships[{index}]"
        pid = clean(item.get("person_id"))
        person = people.get(pid)
        if person is None:
            if pid not in rejected:  # a person already reported is not reported again for each membership
                roster.error(where, "person_id", _("La persona «%(person)s» no existe en el archivo.", person=pid or ""))
            continue
        dates = _dates(item, roster, where)
        term = clean(item.get("legislative_period_id"))
        if dates is None or not wanted(term, *dates):
            continue
        if term is not None and term not in roster.terms:
            roster.warn(where, "legislative_period_id", _("El periodo «%(term)s» no está en events; se omite.", term=term))
            term = None
        start, end = dates
        kind, key = kinds.get(clean(item.get("organization_id")), (None, None))
        if kind == "chamber":
            district = _district(item, areas, posts)
            person.seats.append(SeatRecord(chamber=key, district=district, start_date=start, end_date=end, term=term))
        elif kind in ("party", "bancada"):
            person.groups.append(GroupRecord(kind, key, start, end, term))
        elif kind == "committee":
            person.committees.append(CommitteeRecord(key, _role(item.get("role")), start, end, term))
        else:
            roster.error(where, "organization_id", _("La organización «%(org)s» no existe en el archivo.",
                                                     org=item.get("organization_id")))
            continue
        behalf_kind, behalf = kinds.get(clean(item.get("on_behalf_of_id")), (None, None))
        if behalf_kind in ("party", "bancada"):
            person.groups.append(GroupRecord(behalf_kind, behalf, start, end, term))
    _finish_people(roster, options)
    infer_seats(roster)
    return roster


def _finish_people(roster: Roster, options: dict) -> None:
    """District from the latest seat; people outside the chosen period leave; others get a plain seat."""
    chosen = options.get("period") and roster.terms
    keep = []
    for person in roster.persons:
        if person.seats:
            latest = max(person.seats, key=lambda s: (s.start_date or date.min, s.district is not None))
            person.district = latest.district or next((s.district for s in person.seats if s.district), None)
        elif chosen:
            continue  # not a member in the chosen term
        elif DEFAULT_CHAMBER in roster.chambers:
            person.seats.append(SeatRecord(chamber=DEFAULT_CHAMBER))
        else:
            roster.warn(person.where, "memberships", _("Sin membresía en una cámara; se importa sin escaño."))
        keep.append(person)
    roster.persons = keep
