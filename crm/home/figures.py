"""The figures the home page answers with, per role, each from the definition its own page uses.

A fixed number of statements whatever the number of campaigns, stages, tasks or legislators: stage counts come
from campaigns' stage_tallies (the whip count's members and stances), going cold from outreach's
cold_candidates and went_cold, tasks from my_tasks and overdue_by_officer, drives from coalition's summaries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select

from crm.campaigns import queries as campaign_queries
from crm.coalition import queries as coalition_queries
from crm.core.time import local_day_bounds
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach.models import Interaction, interaction_staff
from crm.outreach.operations.interactions import AHEAD_ALLOWED
from crm.outreach.queries import my_tasks, overdue_by_officer, week_bounds
from crm.outreach.queries.cold import cold_candidates, went_cold

NEXT_MEETINGS = 5


@dataclass
class CampaignFigures:
    campaign: object
    tallies: list
    cold: int | None = None  # None: not shown to this reader


@dataclass
class HomeFigures:
    campaigns: list[CampaignFigures] = field(default_factory=list)
    drives: list = field(default_factory=list)
    team_overdue: int | None = None
    meetings_this_week: int | None = None
    week_start: date | None = None
    tasks: object = None
    next_meetings: list = field(default_factory=list)
    my_cold: list = field(default_factory=list)


def _campaigns(campaign_ids, today: date, tz_name: str | None) -> list[CampaignFigures]:
    """Active campaigns with every stage's count now and a week earlier (two statements)."""
    found = campaign_queries.campaign_bodies(campaign_ids)
    tallies = campaign_queries.stage_tallies([b for _c, bodies in found for b in bodies], today, tz_name)
    by_stage = {t.stage.id: t for t in tallies}
    return [CampaignFigures(c, [by_stage[b.stage.id] for b in bodies]) for c, bodies in found]


def cold_pairs(now: datetime, today: date, campaign_ids, owner_user_id: int | None = None):
    """(campaign_id, legislator_id, name) of everyone going cold, as the going-cold page lists them; one statement."""
    if campaign_ids is not None and not campaign_ids:
        return []
    cold = cold_candidates(now, today, campaign_ids)
    statement = (
        select(cold.c.campaign_id, Legislator.id, Legislator.full_name, cold.c.last_contact, cold.c.going_cold_days)
        .join(Legislator, Legislator.id == cold.c.legislator_id)
        .order_by(Legislator.sort_name, cold.c.campaign_id)
    )
    if owner_user_id is not None:
        statement = statement.where(Legislator.owner_user_id == owner_user_id)
    rows = db.session.execute(statement).all()
    return [(r[0], r[1], r[2]) for r in rows if went_cold(r.last_contact, now, r.going_cold_days)]


def _meetings_between(start: datetime, end: datetime) -> int:
    return db.session.execute(
        select(func.count(Interaction.id)).where(
            Interaction.deleted_at.is_(None), Interaction.kind == "meeting",
            Interaction.starts_at >= start, Interaction.starts_at < end,
        )
    ).scalar_one()


def _next_meetings(user, now: datetime, today: date) -> list:
    """The user's contacts from the start of today on (a contact may be logged up to AHEAD_ALLOWED ahead)."""
    start = local_day_bounds(today, user.timezone)[0]
    joined = select(interaction_staff.c.interaction_id).where(interaction_staff.c.user_id == user.id)
    return db.session.execute(
        select(Interaction.id, Interaction.kind, Interaction.starts_at, Interaction.place)
        .where(
            Interaction.deleted_at.is_(None),
            Interaction.starts_at >= start,
            Interaction.starts_at <= now + AHEAD_ALLOWED,
            or_(Interaction.author_id == user.id, Interaction.id.in_(joined)),
        )
        .order_by(Interaction.starts_at, Interaction.id)
        .limit(NEXT_MEETINGS)
    ).all()


def manager_figures(user, now: datetime, today: date) -> HomeFigures:
    """Director and admin: where every active campaign stands, the team's backlog, the week, the petitions."""
    figures = HomeFigures(campaigns=_campaigns(None, today, user.timezone))
    ids = [f.campaign.id for f in figures.campaigns]
    cold = Counter(campaign_id for campaign_id, _lid, _name in cold_pairs(now, today, ids))
    for entry in figures.campaigns:
        entry.cold = cold[entry.campaign.id]
    figures.team_overdue = sum(row.overdue for row in overdue_by_officer(now))
    figures.week_start, start, end = week_bounds(today, user.timezone)
    figures.meetings_this_week = _meetings_between(start, end)
    figures.drives = coalition_queries.drive_summaries(today)
    return figures


def officer_figures(user, now: datetime, today: date) -> HomeFigures:
    """An officer: my overdue and today's tasks, my next meetings, the legislators I own going cold."""
    figures = HomeFigures(tasks=my_tasks(user, now))
    figures.next_meetings = _next_meetings(user, now, today)
    active = [c.id for c, _bodies in campaign_queries.campaign_bodies()]
    names = {}
    for campaign_id, legislator_id, name in cold_pairs(now, today, active, owner_user_id=user.id):
        names.setdefault(legislator_id, (legislator_id, name, campaign_id))
    figures.my_cold = list(names.values())
    return figures


def partner_figures(user, today: date) -> HomeFigures:
    """A partner organisation's account: the totals every partner may read on the campaign pages (a grant adds
    the per-legislator list, not the totals), and the petition drives' totals. No tasks, meetings or names."""
    return HomeFigures(campaigns=_campaigns(None, today, user.timezone), drives=coalition_queries.drive_summaries(today))


def figures_for(user, now: datetime, today: date) -> HomeFigures:
    if user.is_manager:
        return manager_figures(user, now, today)
    if user.is_staff:
        return officer_figures(user, now, today)
    return partner_figures(user, today)
