"""The current scope: which legislatures lists, pickers and menus show unless the user asks for history.

One rule: the legislatures an admin pinned as "ours"; with none pinned, those in session on the day (a term
covers it, or no term is recorded);
with none in session, the one whose term ended last (so a fresh install with one historic roster still shows it).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select

from crm.extensions import db
from crm.legislature.models import Chamber, Committee, LegislativeTerm, Legislature, active_on

ALL = "all"


@dataclass(frozen=True)
class LegislatureOption:
    id: int
    name: str
    in_session: bool
    pinned: bool
    in_scope: bool


def legislature_options(today: date) -> list[LegislatureOption]:
    """Every legislature with whether it is in session on the day, pinned, and in the default scope. One statement."""
    # A legislature with no dated term at all is taken as in session: nothing says it ended.
    in_session = or_(
        exists().where(LegislativeTerm.legislature_id == Legislature.id, active_on(LegislativeTerm, today)),
        ~exists().where(LegislativeTerm.legislature_id == Legislature.id),
    )
    last_end = (
        select(func.max(func.coalesce(LegislativeTerm.end_date, LegislativeTerm.start_date)))
        .where(LegislativeTerm.legislature_id == Legislature.id)
        .correlate(Legislature)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Legislature.id, Legislature.name, Legislature.pinned, in_session.label("in_session"),
               last_end.label("last_end"))
        .order_by(last_end.desc().nulls_last(), Legislature.name)
    ).all()
    if any(r.pinned for r in rows):
        chosen = {r.id for r in rows if r.pinned}
    elif any(r.in_session for r in rows):
        chosen = {r.id for r in rows if r.in_session}
    else:
        chosen = {rows[0].id} if rows else set()
    return [LegislatureOption(r.id, r.name, bool(r.in_session), bool(r.pinned), r.id in chosen) for r in rows]


def scope_ids(today: date, choice: str | int | None = None, options=None) -> list[int] | None:
    """Legislature ids for a list: the default scope, one legislature the user picked, or None for all of them."""
    if choice == ALL:
        return None
    options = legislature_options(today) if options is None else options
    if isinstance(choice, int) and any(o.id == choice for o in options):
        return [choice]
    return [o.id for o in options if o.in_scope]


def parse_choice(value) -> str | int | None:
    """A request's ?legislature= value: "all", a positive id, or None (the default scope)."""
    text = str(value or "").strip()
    if text == ALL:
        return ALL
    if text.isdigit() and 0 < len(text) <= 9:
        return int(text)
    return None


def chambers_in(ids: list[int] | None):
    """SQL condition on Chamber: it belongs to one of the legislatures (None: any)."""
    return Chamber.legislature_id.in_(ids) if ids is not None else Chamber.id.is_not(None)


def committees_in(ids: list[int] | None):
    """SQL condition on Committee: its chamber belongs to one of the legislatures (None: any)."""
    if ids is None:
        return Committee.id.is_not(None)
    return Committee.chamber_id.in_(select(Chamber.id).where(Chamber.legislature_id.in_(ids)))
