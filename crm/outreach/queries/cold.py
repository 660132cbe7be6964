"""Going cold: persuadable legislators the team has not met for a while."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns import stance
from crm.campaigns.models import DEFAULT_COLD_DAYS, PERSUADABLE, Campaign, VoteStage
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.legislature.models import Chamber, Committee, Legislator, SeatMembership, active_on
from crm.outreach.models import Interaction, interaction_legislators


@dataclass
class ColdRow:
    legislator_id: int
    name: str
    level: str | None
    last_contact: datetime | None
    owner_kind: str | None
    owner_id: int | None
    owner_name: str | None
    sort_name: str = ""


def last_contact_subquery(now: datetime):
    """(legislator_id, last_contact): each legislator's latest interaction that has happened, ignoring deleted ones."""
    return (
        select(interaction_legislators.c.legislator_id, func.max(Interaction.starts_at).label("last_contact"))
        .join(Interaction, Interaction.id == interaction_legislators.c.interaction_id)
        .where(Interaction.deleted_at.is_(None), Interaction.starts_at <= now)
        .group_by(interaction_legislators.c.legislator_id)
        .subquery()
    )


def campaign_voters(today):
    """(campaign_id, legislator_id): who sits on the day in a chamber where one of the campaign's stages votes.

    A committee stage counts its whole chamber: the floor vote follows. The going-cold page and the
    daily digest both use this, so they name the same people.
    """
    stage_chamber = func.coalesce(VoteStage.chamber_id, Committee.chamber_id)
    return (
        select(VoteStage.campaign_id, SeatMembership.legislator_id)
        .outerjoin(Committee, Committee.id == VoteStage.committee_id)
        .join(SeatMembership, and_(SeatMembership.chamber_id == stage_chamber, active_on(SeatMembership, today)))
        .distinct()
        .subquery()
    )


def went_cold(last_contact: datetime | None, now: datetime, days: int | None) -> bool:
    """The one rule: no contact at all, or the last one is older than the campaign's window."""
    return last_contact is None or last_contact < now - timedelta(days=days or DEFAULT_COLD_DAYS)


def cold_candidates(now: datetime, today, campaign_ids=None):
    """Subquery (campaign_id, legislator_id, level, last_contact, going_cold_days): persuadable voters of campaigns.

    The going-cold page and the daily digest both start here and keep the rows went_cold() accepts, so they
    name the same people.
    """
    voters = campaign_voters(today)
    current = stance.latest_per_pair(None, campaign_ids)
    last_contact = last_contact_subquery(now)
    statement = (
        select(voters.c.campaign_id, voters.c.legislator_id, current.c.level, last_contact.c.last_contact,
               Campaign.going_cold_days)
        .select_from(voters)
        .join(Campaign, Campaign.id == voters.c.campaign_id)
        .outerjoin(current, and_(current.c.campaign_id == voters.c.campaign_id,
                                 current.c.legislator_id == voters.c.legislator_id))
        .outerjoin(last_contact, last_contact.c.legislator_id == voters.c.legislator_id)
        .where(or_(current.c.level.is_(None), current.c.level.in_(PERSUADABLE)))
    )
    if campaign_ids is not None:
        statement = statement.where(voters.c.campaign_id.in_(list(campaign_ids)))
    return statement.subquery("cold")


def going_cold(campaign_id: int, now: datetime | None = None, today=None, chamber_id: int | None = None) -> list[ColdRow]:
    """Persuadable sitting members of the campaign's chambers with no contact in the campaign's N days.

    One statement whatever the size of the chamber; `today` is the reader's local day (default: the
    organisation's); `chamber_id` keeps those sitting in that chamber on the day.
    """
    now = now or utcnow()
    today = today or local_today(None, now)
    cold = cold_candidates(now, today, [campaign_id])
    statement = (
        select(
            Legislator.id,
            Legislator.full_name,
            cold.c.level,
            cold.c.last_contact,
            cold.c.going_cold_days,
            Legislator.sort_name,
            Legislator.owner_user_id,
            User.name.label("owner_user_name"),
            Legislator.owner_partner_id,
            PartnerOrganisation.name.label("owner_partner_name"),
        )
        .join(cold, cold.c.legislator_id == Legislator.id)
        .outerjoin(User, User.id == Legislator.owner_user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Legislator.owner_partner_id)
    )
    if chamber_id is not None:
        statement = statement.where(
            select(SeatMembership.id).where(
                SeatMembership.legislator_id == Legislator.id, SeatMembership.chamber_id == chamber_id,
                active_on(SeatMembership, today),
            ).exists()
        )
    found = [r for r in db.session.execute(statement).all() if went_cold(r.last_contact, now, r.going_cold_days)]
    found.sort(key=lambda r: (r.last_contact is not None, r.last_contact or now, r.sort_name))
    rows = []
    for r in found:
        if r.owner_user_id:
            owner = ("user", r.owner_user_id, r.owner_user_name)
        elif r.owner_partner_id:
            owner = ("partner", r.owner_partner_id, r.owner_partner_name)
        else:
            owner = (None, None, None)
        rows.append(ColdRow(r.id, r.full_name, r.level, r.last_contact, *owner, sort_name=r.sort_name))
    return rows


def campaign_chambers(campaign_id: int) -> list[tuple[int, str]]:
    """(id, name) of the chambers the campaign's stages vote in (a committee counts its chamber): who can go cold."""
    stage_chamber = func.coalesce(VoteStage.chamber_id, Committee.chamber_id)
    rows = db.session.execute(
        select(Chamber.id, Chamber.name)
        .select_from(VoteStage)
        .outerjoin(Committee, Committee.id == VoteStage.committee_id)
        .join(Chamber, Chamber.id == stage_chamber)
        .where(VoteStage.campaign_id == campaign_id)
        .distinct()
        .order_by(Chamber.name)
    ).all()
    return [(r.id, r.name) for r in rows]
