"""Menus for the directory and the owner pickers."""


from datetime import date

from sqlalchemy import select

from crm.accounts.models import PartnerOrganisation, User
from crm.core.permissions import STAFF_ROLES
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import (
    Chamber,
    Committee,
    Group,
    Legislator,
    Legislature,
)
from crm.legislature.queries.directory import DirectoryFilters, _seat_exists


def filter_choices(filters: DirectoryFilters, today: date, options=None) -> dict:
    """Options for the directory's filter menus, within the legislatures the list shows; a fixed number of statements.

    `options` (scope.legislature_options) saves a statement when the caller has them.
    """
    ids = scope.scope_ids(today, filters.legislature, options)
    chambers = db.session.execute(
        select(Chamber.id, Chamber.name, Legislature.name, Legislature.id)
        .join(Legislature, Legislature.id == Chamber.legislature_id)
        .where(scope.chambers_in(ids))
        .order_by(Legislature.id.desc(), Chamber.id)
    ).all()
    legislature_id = next((row[3] for row in chambers if row[0] == filters.chamber), None)
    groups = select(Group.id, Group.name, Group.kind, Legislature.name).join(Legislature)
    if ids is not None:
        groups = groups.where(Group.legislature_id.in_(ids))
    committees = (
        select(Committee.id, Committee.name, Chamber.name).join(Chamber, Chamber.id == Committee.chamber_id)
        .where(scope.committees_in(ids))
    )
    districts = select(Legislator.district).where(Legislator.district.is_not(None)).distinct()
    if legislature_id:
        groups = groups.where(Group.legislature_id == legislature_id)
        committees = committees.where(Committee.chamber_id == filters.chamber)
        districts = districts.where(_seat_exists(filters.chamber, False, None))
    return {
        "chambers": chambers,
        "groups": db.session.execute(groups.order_by(Group.kind.desc(), Group.name)).all(),
        "committees": db.session.execute(committees.order_by(Committee.name)).all(),
        "districts": sorted(d for d in db.session.execute(districts).scalars()),
        **owner_choices(),
    }


def owner_choices() -> dict:
    """Who can own a relationship: active staff members and partner organisations (two statements)."""
    return {
        "users": db.session.execute(
            select(User.id, User.name).where(User.active.is_(True), User.role.in_(sorted(STAFF_ROLES)))
            .order_by(User.name)
        ).all(),
        "partners": db.session.execute(
            select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(PartnerOrganisation.name)
        ).all(),
    }
