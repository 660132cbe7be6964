"""The legislator picker: search-as-you-type within the current scope, best matches first."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, exists, func, literal, select
from sqlalchemy.orm import aliased

from crm.core.text import fold
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import Chamber, Legislator, Legislature, SeatMembership, active_on

# Built once: an alias made per call costs its column adaptation again on every request.
OTHER_SEAT = aliased(SeatMembership, name="other_seat")

PICKER_LIMIT = 8


@dataclass(frozen=True)
class PickerHit:
    id: int
    full_name: str
    chamber: str | None
    district: str | None
    sitting: bool


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _in_scope(seat, ids):
    if ids is None:
        return seat.id.is_not(None)
    return seat.chamber_id.in_(select(Chamber.id).where(Chamber.legislature_id.in_(ids)))


def search_legislators(term: str, today: date, choice=None, limit: int = PICKER_LIMIT) -> list[PickerHit]:
    """Legislators whose names hold every word of the term (accents and case ignored), in the scope.

    Order: sitting today first; then the whole name equal to the term, then names starting with it, then a
    word starting with it, then any other match; then by sort name. Each hit names its chamber and district.
    """
    words = fold(term).split()
    if not words or len(" ".join(words)) < 2:
        return []
    ids = scope.scope_ids(today, choice)
    phrase = _like_escape(" ".join(words[:5]))
    seat = (
        select(OTHER_SEAT.id)
        .where(OTHER_SEAT.legislator_id == Legislator.id, _in_scope(OTHER_SEAT, ids))
        .order_by(active_on(OTHER_SEAT, today).desc(), OTHER_SEAT.start_date.desc(), OTHER_SEAT.id.desc())
        .limit(1)
        .correlate(Legislator)
        .scalar_subquery()
    )
    sitting = exists().where(OTHER_SEAT.legislator_id == Legislator.id, _in_scope(OTHER_SEAT, ids), active_on(OTHER_SEAT, today))
    match = case(
        (Legislator.search_name == " ".join(words), 0),
        (Legislator.search_name.like(f"{phrase}%", escape="\\"), 1),
        (Legislator.search_name.like(f"% {phrase}%", escape="\\"), 2),
        else_=3,
    )
    chamber_label = Chamber.name + literal(" · ") + func.coalesce(Legislature.name, "")
    statement = (
        select(Legislator.id, Legislator.full_name, chamber_label, func.coalesce(SeatMembership.district,
               Legislator.district), sitting.label("sitting"))
        .select_from(Legislator)
        .outerjoin(SeatMembership, SeatMembership.id == seat)
        .outerjoin(Chamber, Chamber.id == SeatMembership.chamber_id)
        .outerjoin(Legislature, Legislature.id == Chamber.legislature_id)
        .where(SeatMembership.id.is_not(None) if ids is not None else Legislator.id.is_not(None))
        .order_by(sitting.desc(), match, Legislator.sort_name, Legislator.id)
        .limit(limit)
    )
    for word in words[:5]:
        statement = statement.where(Legislator.search_name.like(f"%{_like_escape(word)}%", escape="\\"))
    return [PickerHit(*row[:4], bool(row[4])) for row in db.session.execute(statement).all()]


def picked_legislators(ids, *options) -> list[Legislator]:
    """The legislators a picker holds, by name; `options` add eager loads (the meeting form wants aides)."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    statement = select(Legislator).where(Legislator.id.in_(ids)).order_by(Legislator.sort_name, Legislator.id)
    return list(db.session.execute(statement.options(*options)).scalars())
