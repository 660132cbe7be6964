"""Every write in the legislature domain: validate, flush, audit; never commit."""

import re
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from crm.accounts.models import PartnerOrganisation, User
from crm.core import audit
from crm.core.text import fold
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.legislature.models import (
    COMMITTEE_ROLES,
    Aide,
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    LegislativeTerm,
    Legislator,
    Legislature,
    SeatMembership,
    active_on,
)

EDITABLE_FIELDS = (
    "full_name", "given_name", "family_name", "sort_name", "gender", "birth_date", "email", "phone", "office",
    "photo_url", "district", "notes", "links",
)
AIDE_FIELDS = ("name", "title", "email", "phone", "notes")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HTTP_URL = re.compile(r"^https?://\S+$")


class LegislatureError(ValueError):
    """A change was refused; the message is shown to the user as is, next to `field` when given."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def search_key(legislator) -> str:
    """Every name a person may be searched by, folded; quotes and punctuation dropped (`"Chuy"` -> chuy)."""
    names = [legislator.full_name, legislator.given_name, legislator.family_name]
    words = re.sub(r"[^\w\s]", " ", fold(" ".join(n for n in names if n))).split()
    return " ".join(dict.fromkeys(words))[:400]


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _check_email(value, label):
    if value and not _EMAIL.match(value):
        raise LegislatureError(_("%(label)s: «%(value)s» no es un correo válido.", label=label, value=value), "email")


def _links(value) -> list[str]:
    """Links arrive as a list or as text with one URL per line; only http(s) URLs are kept."""
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    links = [item.strip() for item in items if item and item.strip()]
    for link in links:
        if not _HTTP_URL.match(link):
            raise LegislatureError(_("Enlaces: «%(link)s» no es una dirección http(s) válida.", link=link), "links")
    return list(dict.fromkeys(links))


def update_legislator(legislator: Legislator, *, actor=None, **values) -> Legislator:
    values = {k: (_links(v) if k == "links" else _clean(v)) for k, v in values.items() if k in EDITABLE_FIELDS}
    if "full_name" in values and not values["full_name"]:
        raise LegislatureError(_("El nombre completo es obligatorio."), "full_name")
    _check_email(values.get("email"), _("Correo"))
    if "sort_name" in values and not values["sort_name"]:
        values["sort_name"] = values.get("full_name") or legislator.full_name
    if values.get("photo_url") and not _HTTP_URL.match(values["photo_url"]):
        raise LegislatureError(_("La URL de la foto debe empezar por http:// o https://."), "photo_url")
    before = audit.snapshot(legislator, values)
    for key, value in values.items():
        setattr(legislator, key, value)
    legislator.search_name = search_key(legislator)
    old, new = audit.changes(before, audit.snapshot(legislator, values))
    if new:
        legislator.updated_at = utcnow()
        db.session.flush()
        audit.record("legislator.update", legislator, old=old, new=new, actor=actor)
    return legislator


def set_owner(legislator: Legislator, *, user_id=None, partner_id=None, actor=None) -> Legislator:
    """The relationship has one owner: a staff member or a partner organisation (or nobody)."""
    if user_id and partner_id:
        raise LegislatureError(_("Elija una persona del equipo o una organización aliada, no ambas."))
    if user_id:
        user = db.session.get(User, user_id)
        if user is None or not user.active or not user.is_staff:
            raise LegislatureError(_("La responsable debe ser una persona activa del equipo."))
    if partner_id and db.session.get(PartnerOrganisation, partner_id) is None:
        raise LegislatureError(_("La organización aliada no existe."))
    fields = ("owner_user_id", "owner_partner_id")
    before = audit.snapshot(legislator, fields)
    legislator.owner_user_id, legislator.owner_partner_id = user_id or None, partner_id or None
    old, new = audit.changes(before, audit.snapshot(legislator, fields))
    if new:
        legislator.owner_is_demo = False
        legislator.updated_at = utcnow()
        db.session.flush()
        audit.record("legislator.owner", legislator, old=old, new=new, actor=actor)
    return legislator


def _aide_values(values) -> dict:
    values = {k: _clean(values.get(k)) for k in AIDE_FIELDS}
    if not values["name"]:
        raise LegislatureError(_("El nombre del asesor o asesora es obligatorio."), "name")
    _check_email(values["email"], _("Correo"))
    return values


def add_aide(legislator: Legislator, *, actor=None, **values) -> Aide:
    values = _aide_values(values)
    aide = Aide(legislator_id=legislator.id, **values)
    db.session.add(aide)
    db.session.flush()
    audit.record("aide.create", aide, new={"legislator_id": legislator.id, **values}, actor=actor)
    return aide


def update_aide(aide: Aide, *, actor=None, **values) -> Aide:
    values = _aide_values(values)
    before = audit.snapshot(aide, AIDE_FIELDS)
    for key, value in values.items():
        setattr(aide, key, value)
    old, new = audit.changes(before, audit.snapshot(aide, AIDE_FIELDS))
    if new:
        db.session.flush()
        audit.record("aide.update", aide, old=old, new=new, actor=actor)
    return aide


def remove_aide(aide: Aide, *, actor=None) -> None:
    audit.record("aide.delete", aide, old=audit.snapshot(aide, ("legislator_id",) + AIDE_FIELDS), actor=actor)
    db.session.delete(aide)
    db.session.flush()


def switch_group(legislator: Legislator, group: Group, *, start_date: date, actor=None) -> GroupMembership:
    """Join a group: the membership of the same kind active that day ends the day before the new one starts."""
    open_rows = db.session.execute(
        select(GroupMembership).join(Group, Group.id == GroupMembership.group_id).where(
            GroupMembership.legislator_id == legislator.id, active_on(GroupMembership, start_date),
            Group.kind == group.kind, Group.legislature_id == group.legislature_id,
        )
    ).scalars().all()
    if any(row.group_id == group.id for row in open_rows):
        raise LegislatureError(_("Ya pertenece a ese grupo."))
    if any(row.start_date and row.start_date > start_date for row in open_rows):
        raise LegislatureError(_("La fecha de inicio es anterior al inicio de la afiliación actual."))
    for row in open_rows:
        old_end, row.end_date = row.end_date, max(start_date - timedelta(days=1), row.start_date or start_date)
        audit.record("group_membership.close", row, old={"end_date": old_end}, new={"end_date": row.end_date},
                     actor=actor)
    membership = GroupMembership(legislator_id=legislator.id, group_id=group.id, start_date=start_date,
                                 end_date=term_end(group.legislature_id))
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "group_membership.create", membership,
        new={"legislator_id": legislator.id, "group_id": group.id, "start_date": start_date}, actor=actor,
    )
    return membership


def add_committee_membership(legislator: Legislator, committee: Committee, *, role: str, start_date: date | None,
                             actor=None) -> CommitteeMembership:
    if role not in COMMITTEE_ROLES:
        raise LegislatureError(_("Rol de comisión no válido."), "role")
    has_seat = db.session.execute(
        select(SeatMembership.id).where(
            SeatMembership.legislator_id == legislator.id, SeatMembership.chamber_id == committee.chamber_id
        ).limit(1)
    ).first()
    if not has_seat:
        raise LegislatureError(_("La comisión es de una cámara en la que este legislador no tiene escaño."), "committee_id")
    already = db.session.execute(
        select(CommitteeMembership.id).where(
            CommitteeMembership.legislator_id == legislator.id, CommitteeMembership.committee_id == committee.id,
            active_on(CommitteeMembership, start_date or local_today(getattr(actor, "timezone", None))),
        ).limit(1)
    ).first()
    if already:
        raise LegislatureError(_("Ya integra esa comisión; termine primero la membresía actual."), "committee_id")
    legislature_id = db.session.execute(
        select(Chamber.legislature_id).where(Chamber.id == committee.chamber_id)
    ).scalar_one()
    membership = CommitteeMembership(legislator_id=legislator.id, committee_id=committee.id, role=role,
                                     start_date=start_date, end_date=term_end(legislature_id))
    db.session.add(membership)
    db.session.flush()
    audit.record("committee_membership.create", membership, new={
        "legislator_id": legislator.id, "committee_id": committee.id, "role": role, "start_date": start_date,
    }, actor=actor)
    return membership


def end_committee_membership(membership: CommitteeMembership, *, end_date: date, actor=None) -> None:
    if membership.end_date is not None and membership.end_date < end_date:
        raise LegislatureError(_("Esa membresía ya terminó."))
    if membership.start_date and end_date < membership.start_date:
        raise LegislatureError(_("La fecha de fin es anterior al inicio."))
    old_end, membership.end_date = membership.end_date, end_date
    db.session.flush()
    audit.record("committee_membership.end", membership, old={"end_date": old_end}, new={"end_date": end_date},
                 actor=actor)


def term_end(legislature_id: int) -> date | None:
    """Where open-ended memberships of a legislature stop: its last term's end (None while a term is open)."""
    ends = db.session.execute(
        select(LegislativeTerm.end_date).where(LegislativeTerm.legislature_id == legislature_id)
    ).scalars().all()
    return None if not ends or None in ends else max(ends)


def create_legislature(*, name: str, country: str, period_label=None, start_date=None, end_date=None,
                       actor=None) -> Legislature:
    name, country = _clean(name), (_clean(country) or "").upper()
    if not name:
        raise LegislatureError(_("El nombre es obligatorio."), "name")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise LegislatureError(_("El país debe ser un código ISO de 2 letras, p. ej. PE."), "country")
    if start_date and end_date and end_date < start_date:
        raise LegislatureError(_("El fin es anterior al inicio."), "end_date")
    if db.session.execute(select(Legislature.id).where(Legislature.name == name)).first():
        raise LegislatureError(_("Ya existe una legislatura con ese nombre."), "name")
    legislature = Legislature(name=name, country=country, period_label=_clean(period_label),
                              start_date=start_date, end_date=end_date)
    db.session.add(legislature)
    db.session.flush()
    audit.record("legislature.create", legislature, new=audit.snapshot(
        legislature, ("name", "country", "period_label", "start_date", "end_date")), actor=actor)
    find_or_add_term(legislature, period_label, start_date, end_date, actor=actor)
    return legislature


def find_or_add_term(legislature: Legislature | None, label: str | None, start: date | None, end: date | None, *,
                     write: bool = True, actor=None) -> LegislativeTerm | None:
    """The legislature's term with this label (or its only/latest one when the source names none), else a new one.

    A dry run (write=False) gets an unsaved term, so it reports the same bounds the import will apply.
    """
    if legislature is None:
        return None
    label = _clean(label)
    terms = list(legislature.terms) if legislature.id else []
    if label is None and terms:
        return terms[-1]
    term = next((t for t in terms if t.label == (label or legislature.name)), None)
    if term is not None:
        return term
    term = LegislativeTerm(label=label or legislature.name, start_date=start, end_date=end)
    if write:
        term.legislature_id = legislature.id
        db.session.add(term)
        db.session.flush()
        audit.record("term.create", term, new=audit.snapshot(term, ("legislature_id", "label", "start_date", "end_date")),
                     actor=actor)
    return term


def _check_seats(seats):
    if not isinstance(seats, int) or not 1 <= seats <= 2000:
        raise LegislatureError(_("El número legal de escaños debe estar entre 1 y 2000."), "seats")


def add_chamber(legislature: Legislature, *, name: str, seats: int, actor=None) -> Chamber:
    name = _clean(name)
    if not name:
        raise LegislatureError(_("El nombre es obligatorio."), "name")
    _check_seats(seats)
    existing = db.session.execute(select(Chamber.name).where(Chamber.legislature_id == legislature.id)).scalars()
    if fold(name) in {fold(n) for n in existing}:
        raise LegislatureError(_("Esa legislatura ya tiene una cámara con ese nombre."), "name")
    chamber = Chamber(legislature_id=legislature.id, name=name, seats=seats)
    db.session.add(chamber)
    db.session.flush()
    audit.record("chamber.create", chamber, new={"legislature_id": legislature.id, "name": name, "seats": seats},
                 actor=actor)
    return chamber


def set_chamber_seats(chamber: Chamber, *, seats: int, actor=None) -> Chamber:
    _check_seats(seats)
    if chamber.seats != seats:
        old = chamber.seats
        chamber.seats = seats
        db.session.flush()
        audit.record("chamber.seats", chamber, old={"seats": old}, new={"seats": seats}, actor=actor)
    return chamber


def add_committee(chamber: Chamber, *, name: str, actor=None) -> Committee:
    name = _clean(name)
    if not name:
        raise LegislatureError(_("El nombre es obligatorio."), "name")
    existing = db.session.execute(select(Committee.name).where(Committee.chamber_id == chamber.id)).scalars()
    if fold(name) in {fold(n) for n in existing}:
        raise LegislatureError(_("Esa cámara ya tiene una comisión con ese nombre."), "name")
    committee = Committee(chamber_id=chamber.id, name=name)
    db.session.add(committee)
    db.session.flush()
    audit.record("committee.create", committee, new={"chamber_id": chamber.id, "name": name}, actor=actor)
    return committee


def set_pinned(legislature: Legislature, pinned: bool, *, actor=None) -> Legislature:
    """Pin a legislature as one of "ours" (or unpin it): lists and pickers default to the pinned ones."""
    if legislature.pinned != pinned:
        legislature.pinned = pinned
        db.session.flush()
        audit.record("legislature.pin", legislature, old={"pinned": not pinned}, new={"pinned": pinned}, actor=actor)
    return legislature
