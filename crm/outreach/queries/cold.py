"""Going cold: persuadable legislators the team has not met for a while."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import Campaign, VoteStage
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Committee, Legislator, SeatMembership
from crm.legislature.queries import sitting
from crm.outreach.models import Interaction, interaction_legislators
from crm.outreach.queries.interactions import PERSUADABLE_LEVELS, _latest_stance_subquery

# --- Going cold ---


@dataclass
class ColdRow:
    legislator_id: int
    name: str
    level: str | None
    last_contact: datetime | None
    owner_kind: str | None
    owner_id: int | None
    owner_name: str | None


def last_contact_subquery(now: datetime):
    """(legislator_id, last_contact): each legislator's latest interaction that has happened, ignoring deleted ones."""
    return (
        select(interaction_legislators.c.legislator_id, func.max(Interaction.starts_at).label("last_contact"))
        .join(Interaction, Interaction.id == interaction_legislators.c.interaction_id)
        .where(Interaction.deleted_at.is_(None), Interaction.starts_at <= now)
        .group_by(interaction_legislators.c.legislator_id)
        .subquery()
    )


def campaign_voters():
    """(campaign_id, legislator_id): who sits now in a chamber where one of the campaign's stages votes.

    A committee stage counts its whole chamber: the floor vote follows. The going-cold page and the
    daily digest both use this, so they name the same people.
    """
    stage_chamber = func.coalesce(VoteStage.chamber_id, Committee.chamber_id)
    return (
        select(VoteStage.campaign_id, SeatMembership.legislator_id)
        .outerjoin(Committee, Committee.id == VoteStage.committee_id)
        .join(SeatMembership, and_(SeatMembership.chamber_id == stage_chamber, sitting()))
        .distinct()
        .subquery()
    )


def going_cold(campaign_id: int, now: datetime | None = None) -> list[ColdRow]:
    """Persuadable sitting members of the campaign's chambers with no contact in the campaign's N days.

    Two statements whatever the size of the chamber: the campaign, then one query with subqueries.
    """
    now = now or utcnow()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return []
    cutoff = now - timedelta(days=campaign.going_cold_days or 21)
    voters = campaign_voters()
    latest = _latest_stance_subquery(campaign_id)
    current = select(latest.c.legislator_id, latest.c.level).where(latest.c.rank == 1).subquery()
    last_contact = last_contact_subquery(now)
    statement = (
        select(
            Legislator.id,
            Legislator.full_name,
            current.c.level,
            last_contact.c.last_contact,
            Legislator.owner_user_id,
            User.name.label("owner_user_name"),
            Legislator.owner_partner_id,
            PartnerOrganisation.name.label("owner_partner_name"),
        )
        .join(voters, and_(voters.c.legislator_id == Legislator.id, voters.c.campaign_id == campaign_id))
        .outerjoin(current, current.c.legislator_id == Legislator.id)
        .outerjoin(last_contact, last_contact.c.legislator_id == Legislator.id)
        .outerjoin(User, User.id == Legislator.owner_user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Legislator.owner_partner_id)
        .where(or_(current.c.level.is_(None), current.c.level.in_(PERSUADABLE_LEVELS)))
        .where(or_(last_contact.c.last_contact.is_(None), last_contact.c.last_contact < cutoff))
        .order_by(last_contact.c.last_contact.is_not(None), last_contact.c.last_contact, Legislator.sort_name)
    )
    rows = []
    for r in db.session.execute(statement).all():
        if r.owner_user_id:
            owner = ("user", r.owner_user_id, r.owner_user_name)
        elif r.owner_partner_id:
            owner = ("partner", r.owner_partner_id, r.owner_partner_name)
        else:
            owner = (None, None, None)
        rows.append(ColdRow(r.id, r.full_name, r.level, r.last_contact, *owner))
    return rows
