"""A legislator's profile: seats, groups, committees, aides, owners; and the import job list."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.accounts.models import PartnerOrganisation, User
from crm.extensions import db
from crm.legislature.models import (
    Aide,
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    ImportJob,
    Legislator,
    Legislature,
    SeatMembership,
    active_on,
)


@dataclass
class Profile:
    legislator: Legislator
    seats: list
    groups: list
    committees: list
    owner_user: object
    owner_partner: object
    today: date  # the reader's day: what is current is judged on it (Tenure.active_on)

    def header_groups(self) -> list:
        """(membership, group) per kind for the header: the one active today, else the latest one held."""
        chosen: dict = {}
        for membership, group in self.groups:  # active first, then latest start (see profile())
            chosen.setdefault(group.kind, (membership, group))
        return list(chosen.values())


def profile(legislator_id: int, today: date) -> Profile | None:
    """Everything the profile page shows, in a fixed number of statements."""
    legislator = db.session.execute(
        select(Legislator).where(Legislator.id == legislator_id)
        .options(selectinload(Legislator.identifiers), selectinload(Legislator.aides))
    ).scalar_one_or_none()
    if legislator is None:
        return None
    seats = db.session.execute(
        select(SeatMembership, Chamber, Legislature)
        .join(Chamber, Chamber.id == SeatMembership.chamber_id).join(Legislature, Legislature.id == Chamber.legislature_id)
        .where(SeatMembership.legislator_id == legislator_id)
        .order_by(SeatMembership.start_date.desc(), SeatMembership.id.desc())
    ).all()
    groups = db.session.execute(
        select(GroupMembership, Group).join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.legislator_id == legislator_id)
        .order_by(active_on(GroupMembership, today).desc(), GroupMembership.start_date.desc(), Group.kind)
    ).all()
    committees = db.session.execute(
        select(CommitteeMembership, Committee, Chamber)
        .join(Committee, Committee.id == CommitteeMembership.committee_id).join(Chamber, Chamber.id == Committee.chamber_id)
        .where(CommitteeMembership.legislator_id == legislator_id)
        .order_by(active_on(CommitteeMembership, today).desc(), Committee.name)
    ).all()
    owner_user = db.session.get(User, legislator.owner_user_id) if legislator.owner_user_id else None
    owner_partner = (
        db.session.get(PartnerOrganisation, legislator.owner_partner_id) if legislator.owner_partner_id else None
    )
    return Profile(legislator, seats, groups, committees, owner_user, owner_partner, today)


def groups_for_legislator(legislator_id: int):
    """Groups of the legislatures the legislator has sat in (for the switch-group form)."""
    legislature_ids = (
        select(Chamber.legislature_id).join(SeatMembership, SeatMembership.chamber_id == Chamber.id)
        .where(SeatMembership.legislator_id == legislator_id)
    )
    return db.session.execute(
        select(Group, Legislature.name).join(Legislature)
        .where(Group.legislature_id.in_(legislature_ids)).order_by(Legislature.id.desc(), Group.kind, Group.name)
    ).all()


def get_aide(legislator_id: int, aide_id: int):
    return db.session.execute(
        select(Aide).where(Aide.id == aide_id, Aide.legislator_id == legislator_id)
    ).scalar_one_or_none()


def committees_for_legislator(legislator_id: int):
    """Committees of the chambers the legislator has a seat in (for the add-membership form)."""
    chamber_ids = select(SeatMembership.chamber_id).where(SeatMembership.legislator_id == legislator_id)
    return db.session.execute(
        select(Committee.id, Committee.name, Chamber.name).join(Chamber, Chamber.id == Committee.chamber_id)
        .where(Committee.chamber_id.in_(chamber_ids)).order_by(Chamber.id.desc(), Committee.name)
    ).all()


def get_committee_membership(legislator_id: int, membership_id: int):
    return db.session.execute(
        select(CommitteeMembership).where(
            CommitteeMembership.id == membership_id, CommitteeMembership.legislator_id == legislator_id
        )
    ).scalar_one_or_none()


def recent_import_jobs(limit: int = 10):
    """The latest web imports with who started them (one statement)."""
    return db.session.execute(
        select(ImportJob.id, ImportJob.created_at, ImportJob.filename, ImportJob.format, ImportJob.status,
               ImportJob.result, ImportJob.report, User.name)
        .outerjoin(User, User.id == ImportJob.created_by_id)
        .order_by(ImportJob.id.desc()).limit(limit)
    ).all()


