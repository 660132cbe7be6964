"""Cabildeo's plain CSV: one legislator per line with a documented header (docs/legislature.md)."""

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
from crm.legislature.importers.safe import csv_rows
from crm.legislature.models import COMMITTEE_ROLES

COLUMNS = (
    "full_name", "given_name", "family_name", "sort_name", "gender", "birth_date", "email", "phone", "office",
    "photo_url", "website", "district", "chamber", "chamber_seats", "party", "bancada", "start_date", "end_date", "status",
    "identifiers", "committees",
)
REQUIRED = ("full_name",)


def _identifiers(text, person, roster):
    for piece in (text or "").split(";"):
        if not clean(piece):
            continue
        scheme, sep, value = piece.partition(":")
        if not sep or not clean(scheme) or not clean(value):
            roster.error(person.where, "identifiers", _("«%(v0)s» no tiene la forma esquema:valor.", v0=clean(piece)))
            continue
        person.identifiers.append((clean(scheme)[:40], clean(value)))


def _committees(text, person, chamber, roster):
    for piece in (text or "").split(";"):
        if not clean(piece):
            continue
        name, _sep, role = piece.partition("=")  # not "_": that name is gettext here
        role = clean(role) or "member"
        if role not in COMMITTEE_ROLES:
            roster.error(person.where, "committees", _("Rol «%(role)s» no válido; use uno de %(v1)s.", role=role, v1=', '.join(COMMITTEE_ROLES)))
            continue
        key = f"{chamber}|{fold(name)}"
        roster.committees.setdefault(key, CommitteeDef(chamber=chamber, name=clean(name)))
        person.committees.append(CommitteeRecord(committee=key, role=role))


def _date(row, column, where, roster):
    try:
        return parse_iso_date(clean(row.get(column)))
    except ValueError as error:  # the message is the value itself, never Python's own text
        roster.error(where, column, _("«%(error)s» no es una fecha AAAA-MM-DD.", error=error))
        return None


def parse(files: dict, options: dict, today) -> Roster:
    reader, fieldnames, rows = csv_rows(files["main"], _("Archivo"))
    header = [clean(h) for h in fieldnames or []]
    if not header or "full_name" not in header:
        raise ImportFailed(_("Línea 1: la cabecera debe incluir la columna full_name (vea el formato documentado)."))
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportFailed(_("Línea 1: columnas desconocidas: %(v0)s. Columnas válidas: %(v1)s.", v0=', '.join(unknown), v1=', '.join(COLUMNS)))
    reader.fieldnames = header
    roster = Roster(period_label=options.get("period"))
    default_chamber = options.get("chamber") or "Pleno"
    for line, row in rows:
        where = _("línea %(n)s", n=line)
        if None in row:
            roster.error(where, "", _("La fila tiene más columnas que la cabecera."))
            continue
        name = clean(row.get("full_name"))
        if not name:
            roster.error(where, "full_name", _("Falta el nombre."))
            continue
        person = PersonRecord(where=where, full_name=name)
        for column in ("given_name", "family_name", "sort_name", "gender", "email", "phone", "office", "photo_url", "district"):
            setattr(person, column, clean(row.get(column)))
        if person.email and "@" not in person.email:
            roster.error(where, "email", _("«%(v0)s» no es un correo válido.", v0=person.email))
        # Every problem of the row is reported, each under its own column, so one fix-and-retry is enough.
        person.birth_date, start, end = (_date(row, column, where, roster) for column in ("birth_date", "start_date", "end_date"))
        if clean(row.get("website")):
            person.links.append(clean(row["website"]))
        chamber_name = clean(row.get("chamber")) or default_chamber
        chamber = fold(chamber_name)
        record = roster.chambers.setdefault(chamber, ChamberRecord(name=chamber_name, seats=options.get("seats")))
        seats = clean(row.get("chamber_seats"))
        if seats:
            if not seats.isdigit() or int(seats) <= 0:
                roster.error(where, "chamber_seats", _("«%(seats)s» no es un número de escaños válido.", seats=seats))
            else:
                record.seats = int(seats)
        person.seats.append(SeatRecord(chamber, person.district, start, end, clean(row.get("status"))))
        for kind in ("party", "bancada"):
            if clean(row.get(kind)):
                person.groups.append(GroupRecord(kind, clean(row[kind]), start, end))
        _identifiers(row.get("identifiers"), person, roster)
        _committees(row.get("committees"), person, chamber, roster)
        roster.persons.append(person)
    return roster
