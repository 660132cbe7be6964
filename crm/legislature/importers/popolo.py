"""Popolo JSON (popoloproject.com, EveryPolitician): persons, organizations and memberships with dates."""

import json

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
    clean,
    parse_iso_date,
)

CHAMBER_CLASSES = {"legislature", "chamber", "house", "lower house", "upper house", "parliament"}
PARTY_CLASSES = {"party", "political party"}
BANCADA_CLASSES = {"parliamentary group", "bancada", "faction", "caucus", "group", "parliamentary faction"}
COMMITTEE_CLASSES = {"committee", "subcommittee", "commission", "comisión"}
DEFAULT_CHAMBER = "main"


def _dates(item: dict, roster: Roster, where: str):
    try:
        return parse_iso_date(item.get("start_date")), parse_iso_date(item.get("end_date"))
    except ValueError as error:
        roster.error(where, "start_date/end_date", _("Fecha no válida: «%(error)s».", error=error))
        return None


def _role(role: str | None) -> str:
    text = fold(role)
    if "vice" in text:
        return "vice_chair"
    if "secretar" in text:
        return "secretary"
    if "chair" in text or "president" in text:
        return "chair"
    return "member"


def _read_organizations(data, roster, options) -> dict:
    """Map organization id -> ("chamber"|"party"|"bancada"|"committee", key or name)."""
    kinds = {}
    orgs = data.get("organizations") or []
    for index, org in enumerate(orgs, start=1):
        where = f"organizations[{index - 1}]"
        if not isinstance(org, dict) or not clean(org.get("id")) or not clean(org.get("name")):
            roster.error(where, "id/name", _("La organización necesita id y name."))
            continue
        cls = fold(org.get("classification"))
        oid, name = clean(org["id"]), clean(org["name"])
        if cls in CHAMBER_CLASSES:
            seats = org.get("seats")
            if seats is not None and (not isinstance(seats, int) or seats <= 0):
                roster.error(where, "seats", _("«%(seats)s» no es un número de escaños válido.", seats=seats))
                seats = None
            roster.chambers[oid] = ChamberRecord(name=name, seats=seats)
            kinds[oid] = ("chamber", oid)
        elif cls in PARTY_CLASSES:
            kinds[oid] = ("party", name)
        elif cls in BANCADA_CLASSES:
            kinds[oid] = ("bancada", name)
        elif cls in COMMITTEE_CLASSES:
            kinds[oid] = ("committee", oid)
        else:
            roster.warn(where, "classification", _("Clasificación «%(v0)s» no reconocida; se omite.", v0=org.get('classification')))
    if not roster.chambers:
        roster.chambers[DEFAULT_CHAMBER] = ChamberRecord(name=options.get("chamber") or "Pleno", seats=options.get("seats"))
    # Committees hang from a chamber (parent_id) or from another committee; otherwise the first chamber.
    first_chamber = next(iter(roster.chambers))
    for org in orgs:
        if isinstance(org, dict) and kinds.get(clean(org.get("id")), ("",))[0] == "committee":
            oid, parent = clean(org["id"]), clean(org.get("parent_id"))
            chamber = parent if parent in roster.chambers else first_chamber
            roster.committees[oid] = CommitteeDef(
                chamber=chamber, name=clean(org["name"]), code=oid,
                parent=parent if kinds.get(parent, ("",))[0] == "committee" else None,
            )
    for committee in roster.committees.values():
        if committee.parent:
            committee.chamber = roster.committees[committee.parent].chamber
    return kinds


def _read_person(item, index, roster) -> PersonRecord | None:
    where = f"persons[{index}]"
    if not isinstance(item, dict):
        roster.error(where, "", _("No es un objeto."))
        return None
    pid, name = clean(item.get("id")), clean(item.get("name"))
    if not pid:
        roster.error(where, "id", _("Falta el id de la persona."))
    if not name:
        roster.error(where, "name", _("Falta el nombre."))
    if not pid or not name:
        return None
    person = PersonRecord(where=f"{where} ({pid})", full_name=name)
    person.identifiers.append(("popolo", pid))
    for ident in item.get("identifiers") or []:
        scheme, value = clean(ident.get("scheme")), clean(ident.get("identifier"))
        if scheme and value:
            person.identifiers.append((scheme[:40], value))
    person.given_name, person.family_name = clean(item.get("given_name")), clean(item.get("family_name"))
    person.sort_name = clean(item.get("sort_name"))
    person.gender = clean(item.get("gender"))
    try:
        person.birth_date = parse_iso_date(item.get("birth_date"))
    except ValueError:
        roster.warn(person.where, "birth_date", _("Fecha «%(v0)s» no válida; se omite.", v0=item.get('birth_date')))
    person.email = clean(item.get("email"))
    person.photo_url = clean(item.get("image"))
    for contact in item.get("contact_details") or []:
        kind, value = fold(contact.get("type")), clean(contact.get("value"))
        if kind == "email" and not person.email:
            person.email = value
        elif kind in ("voice", "phone", "cell") and not person.phone:
            person.phone = value
        elif kind == "address" and not person.office:
            person.office = value
    person.links = [clean(link.get("url")) for link in item.get("links") or [] if clean(link.get("url"))]
    return person


def parse(files: dict, options: dict, today) -> Roster:
    try:
        data = json.loads(files["main"])
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(_("El archivo no es JSON válido: %(error)s", error=error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("persons"), list):
        raise ImportFailed(_("Se esperaba un objeto Popolo con una lista «persons»."))
    roster = Roster(period_label=options.get("period"))
    kinds = _read_organizations(data, roster, options)
    people = {}
    for index, item in enumerate(data["persons"]):
        person = _read_person(item, index, roster)
        if person:
            people[clean(item["id"])] = person
            roster.persons.append(person)
    for index, item in enumerate(data.get("memberships") or []):
        where = f"memberships[{index}]"
        person = people.get(clean((item or {}).get("person_id")))
        if person is None:
            roster.error(where, "person_id", _("La persona «%(person)s» no existe en el archivo.", person=(item or {}).get("person_id")))
            continue
        dates = _dates(item, roster, where)
        if dates is None:
            continue
        start, end = dates
        kind, key = kinds.get(clean(item.get("organization_id")), (None, None))
        area = item.get("area") or {}
        district = clean(area.get("name")) if isinstance(area, dict) else None
        if kind == "chamber":
            person.seats.append(SeatRecord(chamber=key, district=district, start_date=start, end_date=end))
            person.district = district or person.district
        elif kind in ("party", "bancada"):
            person.groups.append(GroupRecord(kind, key, start, end))
        elif kind == "committee":
            person.committees.append(CommitteeRecord(key, _role(item.get("role")), start, end))
        else:
            roster.error(where, "organization_id", _("La organización «%(v0)s» no existe.", v0=item.get('organization_id')))
            continue
        behalf_kind, behalf = kinds.get(clean(item.get("on_behalf_of_id")), (None, None))
        if behalf_kind in ("party", "bancada"):
            person.groups.append(GroupRecord(behalf_kind, behalf, start, end))
    for person in roster.persons:
        if not person.seats:
            if DEFAULT_CHAMBER in roster.chambers:
                person.seats.append(SeatRecord(chamber=DEFAULT_CHAMBER, district=person.district))
            else:
                roster.warn(person.where, "memberships", _("Sin membresía en una cámara; se importa sin escaño."))
    return roster
