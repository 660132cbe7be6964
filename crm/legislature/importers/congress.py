"""unitedstates/congress-legislators: legislators-current (CSV or YAML), committees and memberships (YAML)."""

from flask_babel import gettext as _

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
from crm.legislature.importers.safe import csv_rows, load_yaml

CHAMBERS = {"rep": "house", "sen": "senate"}
# Identifier columns worth keeping for matching; names (wikipedia, ballotpedia) are not identifiers.
ID_SCHEMES = ("bioguide", "thomas", "lis", "govtrack", "opensecrets", "votesmart", "icpsr", "cspan", "wikidata")
CSV_REQUIRED = {"last_name", "first_name", "full_name", "type", "state", "bioguide_id"}


def _looks_like_yaml(text: str) -> bool:
    head = text.lstrip("\ufeff").lstrip()
    return head.startswith(("- ", "---", "-\n"))


def _district(state: str | None, kind: str, district) -> str | None:
    if not state:
        return None
    if kind != "rep":
        return state
    text = clean(district)
    if text in (None, "0"):
        return f"{state}-AL"  # at-large seat
    return f"{state}-{text}"


def _role(title: str | None) -> str:
    text = (title or "").lower()
    if "vice" in text:
        return "vice_chair"
    if "ranking" in text:
        return "ranking_member"
    if "chair" in text:
        return "chair"
    return "member"


def _name(first, middle, last, suffix, nickname) -> str:
    parts = [clean(first)]
    if clean(nickname):
        parts.append(f'"{clean(nickname)}"')
    parts += [clean(middle), clean(last)]
    name = " ".join(p for p in parts if p)
    return f"{name}, {clean(suffix)}" if clean(suffix) else name


def _person_from_csv(row: dict, line: int, roster: Roster) -> PersonRecord | None:
    where = _("línea %(n)s", n=line)
    bioguide = clean(row.get("bioguide_id"))
    kind = clean(row.get("type"))
    if not bioguide:
        roster.error(where, "bioguide_id", _("Falta el identificador bioguide."))
    if kind not in CHAMBERS:
        roster.error(where, "type", _("Tipo «%(v0)s» desconocido; se esperaba sen o rep.", v0=kind or ''))
    if not bioguide or kind not in CHAMBERS:
        return None
    full = clean(row.get("full_name"))
    if not full:
        full = _name(row.get("first_name"), row.get("middle_name"), row.get("last_name"), row.get("suffix"), None)
        roster.warn(where, "full_name", _("Vacío; se usa el nombre compuesto «%(full)s».", full=full))
    if not full:
        roster.error(where, "full_name", _("Falta el nombre."))
        return None
    person = PersonRecord(where=f"{where} ({bioguide})", full_name=full)
    person.identifiers.append(("bioguide", bioguide))
    for scheme in ID_SCHEMES[1:]:
        value = clean(row.get(f"{scheme}_id"))
        if value:
            person.identifiers.append((scheme, value))
    # fec_ids packs several ids into one comma-separated cell.
    for value in (row.get("fec_ids") or "").split(","):
        if clean(value):
            person.identifiers.append(("fec", clean(value)))
    person.given_name = clean(row.get("first_name"))
    person.family_name = clean(row.get("last_name"))
    if person.family_name and person.given_name:
        person.sort_name = f"{person.family_name}, {person.given_name}"
    person.gender = clean(row.get("gender"))
    try:
        person.birth_date = parse_iso_date(clean(row.get("birthday")))
    except ValueError:
        roster.warn(person.where, "birthday", _("Fecha «%(v0)s» no válida; se omite.", v0=row.get('birthday')))
    person.phone = clean(row.get("phone"))
    person.office = clean(row.get("address"))
    person.links = [u for u in (clean(row.get("url")), clean(row.get("contact_form"))) if u]
    person.district = _district(clean(row.get("state")), kind, row.get("district"))
    person.seats.append(SeatRecord(chamber=CHAMBERS[kind], district=person.district))
    party = clean(row.get("party"))
    if party:
        person.groups.append(GroupRecord("party", party))
        person.groups.append(GroupRecord("bancada", party))
    return person


def _person_from_yaml(entry, index: int, roster: Roster) -> PersonRecord | None:
    where = _("registro %(n)s", n=index)
    if not isinstance(entry, dict):
        roster.error(where, "", _("No es un registro de legislador."))
        return None
    ids = entry.get("id") or {}
    name = entry.get("name") or {}
    terms = entry.get("terms") or []
    bioguide = clean(ids.get("bioguide"))
    if not bioguide:
        roster.error(where, "id.bioguide", _("Falta el identificador bioguide."))
        return None
    where = f"{where} ({bioguide})"
    if not terms or not isinstance(terms[-1], dict) or terms[-1].get("type") not in CHAMBERS:
        roster.error(where, "terms", _("Falta el mandato actual (sen o rep)."))
        return None
    term = terms[-1]
    full = clean(name.get("official_full")) or _name(
        name.get("first"), name.get("middle"), name.get("last"), name.get("suffix"), name.get("nickname")
    )
    if not clean(name.get("official_full")):
        roster.warn(where, "name.official_full", _("Vacío; se usa el nombre compuesto «%(full)s».", full=full))
    person = PersonRecord(where=where, full_name=full)
    for scheme in ID_SCHEMES:
        value = clean(ids.get(scheme))
        if value:
            person.identifiers.append((scheme, value))
    for value in ids.get("fec") or []:
        if clean(value):
            person.identifiers.append(("fec", clean(value)))
    person.given_name, person.family_name = clean(name.get("first")), clean(name.get("last"))
    if person.family_name and person.given_name:
        person.sort_name = f"{person.family_name}, {person.given_name}"
    bio = entry.get("bio") or {}
    person.gender = clean(bio.get("gender"))
    try:
        person.birth_date = parse_iso_date(bio.get("birthday"))
        start, end = parse_iso_date(term.get("start")), parse_iso_date(term.get("end"))
    except ValueError as error:
        roster.error(where, "fecha", _("Fecha no válida: «%(error)s».", error=error))
        return None
    person.phone = clean(term.get("phone"))
    person.office = clean(term.get("address"))
    person.links = [u for u in (clean(term.get("url")), clean(term.get("contact_form"))) if u]
    kind = term["type"]
    person.district = _district(clean(term.get("state")), kind, term.get("district"))
    person.seats.append(SeatRecord(chamber=CHAMBERS[kind], district=person.district, start_date=start, end_date=end))
    party = clean(term.get("party"))
    if party:
        person.groups.append(GroupRecord("party", party, start_date=start))
        # Independents caucus with a party; the caucus is what counts on the floor.
        person.groups.append(GroupRecord("bancada", clean(term.get("caucus")) or party, start_date=start))
    return person


def _read_committees(text: str, roster: Roster) -> None:
    data = load_yaml(text, _("Comisiones"))
    if not isinstance(data, list):
        raise ImportFailed(_("Comisiones: se esperaba una lista de comisiones (committees-current.yaml)."))
    for index, entry in enumerate(data, start=1):
        where = _("comisión %(code)s", code=index)
        code = clean((entry or {}).get("thomas_id")) if isinstance(entry, dict) else None
        if not code or not clean(entry.get("name")):
            roster.error(where, "thomas_id/name", _("Falta el código o el nombre de la comisión."))
            continue
        # A committee belongs to one chamber; joint committees are filed under the House (see docs).
        chamber = "senate" if entry.get("type") == "senate" else "house"
        roster.committees[code] = CommitteeDef(chamber=chamber, name=clean(entry["name"]), code=code)
        for sub in entry.get("subcommittees") or []:
            sub_code = clean(sub.get("thomas_id"))
            if not sub_code or not clean(sub.get("name")):
                roster.error(where, "subcommittees", _("Subcomisión sin código o sin nombre."))
                continue
            roster.committees[code + sub_code] = CommitteeDef(
                chamber=chamber, name=clean(sub["name"]), code=code + sub_code, parent=code
            )


def _read_memberships(text: str, roster: Roster) -> None:
    data = load_yaml(text, _("Membresías"))
    if not isinstance(data, dict):
        raise ImportFailed(_("Membresías: se esperaba un mapa código → miembros (committee-membership-current.yaml)."))
    people = {}
    for person in roster.persons:
        for scheme, value in person.identifiers:
            if scheme == "bioguide":
                people[value] = person
    for code, members in data.items():
        if code not in roster.committees:
            roster.warn(_("comisión %(code)s", code=code), "código", _("No está en el archivo de comisiones; se omite."))
            continue
        for rank, member in enumerate(members or [], start=1):
            bioguide = clean((member or {}).get("bioguide"))
            person = people.get(bioguide)
            if person is None:
                # Words only for the rows that need them: thousands of members are read in a dry run.
                roster.warn(_("comisión %(code)s, miembro %(n)s", code=code, n=rank), "bioguide",
                            _("«%(bioguide)s» no está entre los legisladores; se omite.", bioguide=bioguide))
                continue
            person.committees.append(CommitteeRecord(committee=code, role=_role(member.get("title"))))


def parse(files: dict, options: dict, today) -> Roster:
    roster = Roster(period_label=options.get("period"))
    roster.chambers["house"] = ChamberRecord(options.get("house_name") or "House of Representatives", 435)
    roster.chambers["senate"] = ChamberRecord(options.get("senate_name") or "Senate", 100)
    text = files["main"].lstrip("\ufeff")
    if _looks_like_yaml(text):
        data = load_yaml(text, _("Legisladores"))
        if not isinstance(data, list):
            raise ImportFailed(_("Legisladores: se esperaba una lista (legislators-current.yaml)."))
        for index, entry in enumerate(data, start=1):
            person = _person_from_yaml(entry, index, roster)
            if person:
                roster.persons.append(person)
    else:
        # newline="" (in csv_rows) keeps CRLF line endings from leaking into values.
        _reader, fieldnames, rows = csv_rows(text, _("Legisladores"))
        missing = CSV_REQUIRED - set(fieldnames or [])
        if missing:
            raise ImportFailed(_("Legisladores: faltan columnas en la cabecera: %(v0)s.", v0=', '.join(sorted(missing))))
        for line, row in rows:
            person = _person_from_csv(row, line, roster)
            if person:
                roster.persons.append(person)
    if files.get("committees"):
        _read_committees(files["committees"], roster)
    if files.get("memberships"):
        if not files.get("committees"):
            raise ImportFailed(_("Para importar membresías de comisiones hace falta también el archivo de comisiones."))
        _read_memberships(files["memberships"], roster)
    return roster
