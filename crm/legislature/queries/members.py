"""Who sits: the one SQL rule for seats, the members of a chamber or committee, the structure overview."""

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    Legislature,
    SeatMembership,
    active_on,
)


def sitting(today=None):
    """SQL condition: the seat membership is current (`today`: a date or a bound parameter)."""
    if today is None:
        today = local_today(None)
    return active_on(SeatMembership, today)


def current_members(chamber_id: int | None = None, committee_id: int | None = None, today: date | None = None):
    """Sitting legislators with their current bancada and district, in one statement.

    Rows: legislator_id, full_name, sort_name, district, chamber_id, bancada_id, bancada_name.
    With committee_id, only current members of that committee (and their committee role as `role`).
    """
    today = today or local_today(None)
    bancada = (
        select(GroupMembership.group_id.label("group_id"), GroupMembership.legislator_id.label("legislator_id"),
               Group.name.label("name"), Group.legislature_id.label("legislature_id"),
               func.row_number().over(
                   partition_by=(GroupMembership.legislator_id, Group.legislature_id),
                   order_by=(GroupMembership.start_date.desc(), GroupMembership.id.desc()),
               ).label("rank"))
        .join(Group, Group.id == GroupMembership.group_id)
        .where(active_on(GroupMembership, today), Group.kind == "bancada")
        .subquery()
    )
    statement = (
        select(
            Legislator.id.label("legislator_id"), Legislator.full_name, Legislator.sort_name,
            func.coalesce(SeatMembership.district, Legislator.district).label("district"),
            SeatMembership.chamber_id, bancada.c.group_id.label("bancada_id"), bancada.c.name.label("bancada_name"),
        )
        .join(SeatMembership, SeatMembership.legislator_id == Legislator.id)
        .join(Chamber, Chamber.id == SeatMembership.chamber_id)
        .outerjoin(bancada, and_(
            bancada.c.legislator_id == Legislator.id, bancada.c.legislature_id == Chamber.legislature_id,
            bancada.c.rank == 1,
        ))
        .where(sitting(today))
        .order_by(Legislator.sort_name, Legislator.id)
    )
    if chamber_id is not None:
        statement = statement.where(SeatMembership.chamber_id == chamber_id)
    if committee_id is not None:
        statement = statement.join(
            CommitteeMembership, and_(
                CommitteeMembership.legislator_id == Legislator.id, CommitteeMembership.committee_id == committee_id,
                active_on(CommitteeMembership, today),
            ),
        ).join(Committee, and_(Committee.id == committee_id, Committee.chamber_id == SeatMembership.chamber_id))
        statement = statement.add_columns(CommitteeMembership.role)
    return db.session.execute(statement).all()


def legislatures_overview(today: date | None = None):
    """Legislatures with their terms, chambers, committee counts and sitting members (five statements)."""
    legislatures = db.session.execute(
        select(Legislature).options(selectinload(Legislature.terms)).order_by(Legislature.id.desc())
    ).scalars().all()
    chambers = db.session.execute(select(Chamber).order_by(Chamber.id)).scalars().all()
    committees = dict(db.session.execute(
        select(Committee.chamber_id, func.count(Committee.id)).group_by(Committee.chamber_id)
    ).all())
    sitting_counts = dict(db.session.execute(
        select(SeatMembership.chamber_id, func.count(func.distinct(SeatMembership.legislator_id)))
        .where(sitting(today)).group_by(SeatMembership.chamber_id)
    ).all())
    by_legislature: dict = {}
    for chamber in chambers:
        by_legislature.setdefault(chamber.legislature_id, []).append(
            (chamber, committees.get(chamber.id, 0), sitting_counts.get(chamber.id, 0))
        )
    return [(legislature, by_legislature.get(legislature.id, [])) for legislature in legislatures]
