"""A legislator's timeline: interactions, tasks and stances in one paged feed."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import DateTime, String, and_, cast, literal, or_, select, union_all
from sqlalchemy.orm import aliased, selectinload

from crm.accounts.models import User
from crm.campaigns.models import Campaign, StanceAssessment
from crm.campaigns.visibility import whip_list_campaign_ids
from crm.coalition.models import MediaMention, media_mention_legislators
from crm.core.visibility import can_see_media_mentions
from crm.extensions import db
from crm.outreach.models import Interaction, Task, interaction_legislators
from crm.outreach.queries.interactions import interaction_visible
from crm.outreach.queries.tasks import _task_rows

# Built once: an alias made per call costs its column adaptation again on every request.
AUTHOR = aliased(User, name="author")
ASSESSOR = aliased(User, name="assessor")

# --- Timeline ---


@dataclass
class TimelineEntry:
    kind: str
    at: datetime | date
    item: object
    extra: dict


TIMELINE_PAGE = 20


def _as_timestamp(column):
    """Media mentions carry a date; PostgreSQL needs it cast to sit in the same column as timestamps."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, DateTime(timezone=True))
    return column


def _timeline_union(user, legislator_id: int):
    allowed = whip_list_campaign_ids(user)
    parts = [
        select(literal("interaction", String(12)).label("kind"), Interaction.id.label("id"), Interaction.starts_at.label("at"))
        .join(interaction_legislators, interaction_legislators.c.interaction_id == Interaction.id)
        .where(interaction_legislators.c.legislator_id == legislator_id, interaction_visible(user)),
    ]
    stance = select(
        literal("stance", String(12)), StanceAssessment.id, StanceAssessment.assessed_at
    ).where(StanceAssessment.legislator_id == legislator_id)
    if allowed is not None:
        stance = stance.where(StanceAssessment.campaign_id.in_(allowed or {-1}))
    parts.append(stance)
    if user.is_staff:
        # Follow-ups from a meeting with several legislators name none of them, yet belong to each one's history.
        met = (
            select(interaction_legislators.c.interaction_id)
            .join(Interaction, Interaction.id == interaction_legislators.c.interaction_id)
            .where(interaction_legislators.c.legislator_id == legislator_id, Interaction.deleted_at.is_(None))
        )
        parts.append(
            select(literal("task", String(12)), Task.id, Task.created_at).where(
                or_(Task.legislator_id == legislator_id, and_(Task.legislator_id.is_(None), Task.interaction_id.in_(met))),
                Task.status != "cancelled",
            )
        )
    if can_see_media_mentions(user):
        parts.append(
            select(literal("media", String(12)), MediaMention.id, _as_timestamp(MediaMention.published_on))
            .join(media_mention_legislators, media_mention_legislators.c.media_mention_id == MediaMention.id)
            .where(media_mention_legislators.c.legislator_id == legislator_id)
        )
    return union_all(*parts).subquery("timeline")


def timeline(user, legislator_id: int, *, page: int = 1, per_page: int = TIMELINE_PAGE):
    """One page of the legislator's merged history, newest first: one UNION ALL, then one load per kind."""
    merged = _timeline_union(user, legislator_id)
    rows = db.session.execute(
        select(merged.c.kind, merged.c.id)
        .order_by(merged.c.at.desc(), merged.c.kind, merged.c.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    ids = {"interaction": [], "stance": [], "task": [], "media": []}
    for kind, item_id in rows:
        ids[kind].append(item_id)
    loaded = _load_timeline_items(ids)
    entries = []
    for kind, item_id in rows:
        item, extra = loaded[kind][item_id]
        at = {
            "interaction": lambda x: x.starts_at,
            "stance": lambda x: x.assessed_at,
            "task": lambda x: x.created_at,
            "media": lambda x: x.published_on,
        }[kind](item)
        entries.append(TimelineEntry(kind, at, item, extra))
    return entries, has_more


def _load_timeline_items(ids: dict) -> dict:
    loaded = {key: {} for key in ids}
    if ids["interaction"]:
        statement = (
            select(Interaction, AUTHOR.name, Campaign.name)
            .outerjoin(AUTHOR, AUTHOR.id == Interaction.author_id)
            .outerjoin(Campaign, Campaign.id == Interaction.campaign_id)
            .where(Interaction.id.in_(ids["interaction"]))
            .options(selectinload(Interaction.legislators))
        )
        for item, author_name, campaign_name in db.session.execute(statement).all():
            loaded["interaction"][item.id] = (item, {"author": author_name, "campaign": campaign_name})
    if ids["stance"]:
        statement = (
            select(StanceAssessment, Campaign.name, ASSESSOR.name)
            .join(Campaign, Campaign.id == StanceAssessment.campaign_id)
            .outerjoin(ASSESSOR, ASSESSOR.id == StanceAssessment.assessed_by_id)
            .where(StanceAssessment.id.in_(ids["stance"]))
        )
        for item, campaign_name, assessor_name in db.session.execute(statement).all():
            loaded["stance"][item.id] = (item, {"campaign": campaign_name, "author": assessor_name})
    if ids["task"]:
        for row in db.session.execute(_task_rows(select(Task)).where(Task.id.in_(ids["task"]))).all():
            loaded["task"][row.Task.id] = (row.Task, {"assignee": row[3], "campaign": row[2]})
    if ids["media"]:
        statement = select(MediaMention).where(MediaMention.id.in_(ids["media"]))
        for item in db.session.execute(statement).scalars():
            loaded["media"][item.id] = (item, {})
    return loaded
