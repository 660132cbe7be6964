"""Stances over time: the weekly trend, a legislator's current level and stance history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, literal, select, true, union_all

from crm.accounts.models import User
from crm.campaigns import stance
from crm.campaigns.models import STANCE_LEVELS, Campaign, VoteStage
from crm.campaigns.queries.common import SA, TREND_WEEKS, _members_subquery
from crm.core.types import UTCDateTime
from crm.extensions import db


def week_cutoffs(as_of_cutoff: datetime, weeks: int = TREND_WEEKS) -> list[datetime]:
    """Instants at the end of each of the last `weeks` weeks, the last one being the "as of" cutoff."""
    return [as_of_cutoff - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def trend(campaign_id: int, stage: VoteStage, day: date, cutoffs: list[datetime]) -> dict[str, list[int]]:
    """Counts per level at each cutoff, for today's members of the body. One statement.

    Each (week, member) pair looks up its latest assessment through the (campaign, legislator, time) index,
    so the cost follows the body's size, not the campaign's whole history.
    """
    members = _members_subquery(stage, day)
    weeks = union_all(
        *[select(literal(i).label("week"), literal(c, UTCDateTime).label("cutoff")) for i, c in enumerate(cutoffs)]
    ).cte("weeks")
    # The level itself is the correlated value (not an id to join on), so no database can turn the lookup
    # into a scan of every assessment.
    latest_level = stance.latest_level(campaign_id, members.c.legislator_id, weeks.c.cutoff, members, weeks)
    levels = (
        select(weeks.c.week, latest_level.label("level")).select_from(weeks).join(members, true()).subquery("levels")
    )
    rows = db.session.execute(
        select(levels.c.week, levels.c.level, func.count()).group_by(levels.c.week, levels.c.level)
    ).all()
    series = {lv: [0] * len(cutoffs) for lv in STANCE_LEVELS}
    for week, level, n in rows:
        series[level or "unknown"][int(week)] += n
    return series


# --- stance history on a legislator's profile ---------------------------------------------------------


def stance_history(legislator_id: int, campaign_ids: set[int] | None) -> list[tuple[Campaign, list]]:
    """Every assessment of one legislator, grouped by campaign, newest first; None means all campaigns."""
    query = (
        select(SA, Campaign, User.name)
        .join(Campaign, Campaign.id == SA.campaign_id)
        .outerjoin(User, User.id == SA.assessed_by_id)
        .where(SA.legislator_id == legislator_id)
        .order_by(Campaign.name, SA.assessed_at.desc(), SA.id.desc())
    )
    if campaign_ids is not None:
        query = query.where(SA.campaign_id.in_(campaign_ids or [-1]))
    grouped: dict[int, tuple[Campaign, list]] = {}
    for assessment, campaign, assessor in db.session.execute(query).all():
        grouped.setdefault(campaign.id, (campaign, []))[1].append((assessment, assessor))
    return list(grouped.values())


def current_assessment(campaign_id: int, legislator_id: int):
    """The latest assessment of one legislator on one campaign (None when nobody assessed them yet)."""
    return db.session.execute(stance.latest(campaign_id, legislator_id, None)).scalar_one_or_none()


def campaigns_to_assess() -> list[Campaign]:
    """Campaigns still running, where a new stance matters: the profile offers a stance form for each."""
    return list(db.session.execute(select(Campaign).where(Campaign.status == "active").order_by(Campaign.name)).scalars())
