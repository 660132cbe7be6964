"""The rows behind the forecast page: one per member of the body on the vote's day (the one active-on rule) and
per voter, with the vote, the stance as of the vote's instant (the one stance lookup), its confidence, the
relationship owner and the last meeting before the vote. A fixed number of statements, whatever the body's size."""

from sqlalchemy import func, select, union

from crm.accounts.models import User
from crm.campaigns import stance
from crm.campaigns.models import StanceAssessment
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    Group,
    GroupMembership,
    Legislator,
    active_on,
)
from crm.outreach.models import Interaction, interaction_legislators
from crm.votes.accuracy import Member
from crm.votes.models import CampaignBill, Vote, VoteEvent
from crm.votes.queries import members as member_queries

SA = StanceAssessment


def event_with_body(event_id: int):
    """(VoteEvent, body name, legislature id) or None."""
    return db.session.execute(
        select(VoteEvent, func.coalesce(Committee.name, Chamber.name),
               func.coalesce(Chamber.legislature_id, select(Chamber.legislature_id).where(Chamber.id == Committee.chamber_id)
                             .correlate(Committee).scalar_subquery()))
        .outerjoin(Chamber, Chamber.id == VoteEvent.chamber_id).outerjoin(Committee, Committee.id == VoteEvent.committee_id)
        .where(VoteEvent.id == event_id)
    ).first()


def vote_day(event: VoteEvent, tz_name: str | None):
    return local_today(tz_name, event.start_at)


def members(event: VoteEvent, campaign_id: int, tz_name: str | None) -> list[Member]:
    """Everyone in the body that day plus anyone who voted, in one statement."""
    day = vote_day(event, tz_name)
    population = union(member_queries.sitting_ids(event.chamber_id, event.committee_id, day),
                       select(Vote.legislator_id).where(Vote.vote_event_id == event.id)).subquery()
    latest = stance.latest_id(campaign_id, Legislator.id, event.start_at, Legislator)
    last_meeting = (
        select(func.max(Interaction.starts_at))
        .join(interaction_legislators, interaction_legislators.c.interaction_id == Interaction.id)
        .where(interaction_legislators.c.legislator_id == Legislator.id, Interaction.starts_at < event.start_at)
        .correlate(Legislator).scalar_subquery()
    )
    group = (
        select(Group.abbreviation).join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(GroupMembership.legislator_id == Legislator.id, Group.kind == "bancada", active_on(GroupMembership, day))
        .order_by(GroupMembership.id.desc()).limit(1).correlate(Legislator).scalar_subquery()
    )
    rows = db.session.execute(
        select(Legislator.id, Legislator.sort_name, SA.level, Vote.option, SA.confidence, User.id, User.name,
               group, last_meeting, Legislator.owner_partner_id)
        .where(Legislator.id.in_(select(population.c.legislator_id)))
        .outerjoin(Vote, (Vote.legislator_id == Legislator.id) & (Vote.vote_event_id == event.id))
        .outerjoin(SA, SA.id == latest)
        .outerjoin(User, User.id == Legislator.owner_user_id)
        .order_by(Legislator.sort_name, Legislator.id)
    ).all()
    return [Member(*row) for row in rows]


def events_for_campaign(campaign_id: int):
    """Recorded vote events on the bills the campaign follows, newest first (one statement)."""
    return db.session.execute(
        select(VoteEvent.id, VoteEvent.start_at, VoteEvent.motion, VoteEvent.result,
               func.coalesce(Committee.name, Chamber.name))
        .outerjoin(Chamber, Chamber.id == VoteEvent.chamber_id).outerjoin(Committee, Committee.id == VoteEvent.committee_id)
        .where(VoteEvent.bill_id.in_(select(CampaignBill.bill_id).where(CampaignBill.campaign_id == campaign_id)))
        .order_by(VoteEvent.start_at.desc(), VoteEvent.id.desc())
    ).all()
