"""Read-side queries for outreach pages: a constant number of statements, whatever the number of rows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import DateTime, String, and_, case, cast, exists, false, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, selectinload

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import Campaign, StanceAssessment, VoteStage
from crm.campaigns.visibility import whip_list_campaign_ids
from crm.coalition.models import MediaMention, media_mention_legislators
from crm.core.pagination import Page, paginate
from crm.core.permissions import STAFF_ROLES
from crm.core.text import fold
from crm.core.time import local_day_bounds, local_today, utcnow
from crm.core.visibility import can_see_internal_notes
from crm.extensions import db
from crm.legislature.models import Committee, Legislator, SeatMembership
from crm.legislature.queries import sitting
from crm.outreach.models import Interaction, Task, interaction_legislators, interaction_partners, interaction_staff

PERSUADABLE_LEVELS = ("leaning_yes", "undecided", "leaning_no", "unknown")


# --- Who sees which interactions ---


def interaction_visible(user, *, include_deleted: bool = False):
    """A WHERE clause: staff see every live interaction; partners only their campaigns or meetings they joined."""
    live = Interaction.deleted_at.is_(None)
    if user.is_staff:
        if include_deleted and user.is_admin:
            return Interaction.deleted_at.is_not(None)
        return live
    allowed = whip_list_campaign_ids(user) or set()
    clauses = []
    if allowed:
        clauses.append(Interaction.campaign_id.in_(allowed))
    if user.partner_organisation_id:
        clauses.append(
            exists().where(
                interaction_partners.c.interaction_id == Interaction.id,
                interaction_partners.c.partner_organisation_id == user.partner_organisation_id,
            )
        )
    return and_(live, or_(*clauses)) if clauses else false()


def show_notes(user, interaction: Interaction) -> bool:
    return not interaction.notes_internal or can_see_internal_notes(user)


# --- Interactions ---


def interaction_page(user, *, page: int, campaign_id=None, kind=None, legislator_id=None, mine=False, deleted=False) -> Page:
    statement = (
        select(Interaction)
        .where(interaction_visible(user, include_deleted=deleted))
        .options(selectinload(Interaction.legislators))
        .order_by(Interaction.starts_at.desc(), Interaction.id.desc())
    )
    if campaign_id:
        statement = statement.where(Interaction.campaign_id == campaign_id)
    if kind:
        statement = statement.where(Interaction.kind == kind)
    if legislator_id:
        statement = statement.where(
            exists().where(
                interaction_legislators.c.interaction_id == Interaction.id,
                interaction_legislators.c.legislator_id == legislator_id,
            )
        )
    if mine:
        statement = statement.where(
            or_(
                Interaction.author_id == user.id,
                exists().where(interaction_staff.c.interaction_id == Interaction.id, interaction_staff.c.user_id == user.id),
            )
        )
    return paginate(statement, page, 25)


def interaction_for(user, interaction_id: int) -> Interaction | None:
    """The interaction if this user may see it (admins also see deleted ones), with its links loaded."""
    statement = (
        select(Interaction)
        .where(Interaction.id == interaction_id)
        .options(
            selectinload(Interaction.legislators),
            selectinload(Interaction.aides),
            selectinload(Interaction.staff),
            selectinload(Interaction.partners),
        )
    )
    interaction = db.session.execute(statement).scalar_one_or_none()
    if interaction is None:
        return None
    if interaction.deleted_at is not None:
        return interaction if user.is_admin else None
    visible = db.session.execute(
        select(Interaction.id).where(Interaction.id == interaction_id, interaction_visible(user))
    ).first()
    return interaction if visible else None


def interaction_extras(user, interaction: Interaction) -> dict:
    """Stances observed in the interaction and its follow-up tasks, with names, in three statements."""
    allowed = whip_list_campaign_ids(user)
    stances_q = (
        select(StanceAssessment, Legislator.full_name)
        .join(Legislator, Legislator.id == StanceAssessment.legislator_id)
        .where(StanceAssessment.interaction_id == interaction.id)
        .order_by(Legislator.sort_name)
    )
    if allowed is not None:
        stances_q = stances_q.where(StanceAssessment.campaign_id.in_(allowed or {-1}))
    stances = db.session.execute(stances_q).all()
    tasks = []
    if user.is_staff:
        assignee = aliased(User)
        tasks = db.session.execute(
            select(Task, assignee.name)
            .outerjoin(assignee, assignee.id == Task.assignee_id)
            .where(Task.interaction_id == interaction.id)
            .order_by(Task.due_at.is_(None), Task.due_at, Task.id)
        ).all()
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_([x for x in (interaction.author_id, interaction.deleted_by_id) if x]))
        ).all()
    )
    campaign = db.session.get(Campaign, interaction.campaign_id) if interaction.campaign_id else None
    return {"stances": stances, "tasks": tasks, "names": names, "campaign": campaign}


def search_legislators(term: str, limit: int = 8) -> list[Legislator]:
    """Accent-insensitive, every word must match; sitting members first."""
    words = fold(term).split()
    if not words or len(" ".join(words)) < 2:
        return []
    sitting = exists().where(SeatMembership.legislator_id == Legislator.id, SeatMembership.end_date.is_(None))
    statement = select(Legislator).order_by(sitting.desc(), Legislator.sort_name).limit(limit)
    for word in words[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Legislator.search_name.like(f"%{escaped}%", escape="\\"))
    return list(db.session.execute(statement).scalars())


def legislators_by_ids(ids) -> list[Legislator]:
    ids = [int(i) for i in ids]
    if not ids:
        return []
    return list(
        db.session.execute(
            select(Legislator).where(Legislator.id.in_(ids)).options(selectinload(Legislator.aides)).order_by(Legislator.sort_name)
        ).scalars()
    )


def campaign_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Campaign.id, Campaign.name).order_by((Campaign.status == "active").desc(), Campaign.name)
    ).all()
    return [(r.id, r.name) for r in rows]


def current_levels(campaign_id: int | None, legislator_ids) -> dict[int, str]:
    """The latest stance per legislator on one campaign."""
    if not campaign_id or not legislator_ids:
        return {}
    latest = _latest_stance_subquery(campaign_id)
    rows = db.session.execute(
        select(latest.c.legislator_id, latest.c.level).where(latest.c.rank == 1, latest.c.legislator_id.in_(legislator_ids))
    )
    return {r.legislator_id: r.level for r in rows}


def _latest_stance_subquery(campaign_id: int):
    rank = func.row_number().over(
        partition_by=StanceAssessment.legislator_id,
        order_by=(StanceAssessment.assessed_at.desc(), StanceAssessment.id.desc()),
    )
    return (
        select(StanceAssessment.legislator_id, StanceAssessment.level, rank.label("rank"))
        .where(StanceAssessment.campaign_id == campaign_id)
        .subquery()
    )


# --- Tasks ---


@dataclass
class TaskBuckets:
    overdue: list
    today: list
    this_week: list
    later: list

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week) + len(self.later)


def _task_rows(statement):
    """Tasks with the names a list shows, loaded with joins in the same statement."""
    assignee = aliased(User)
    return (
        statement.add_columns(Legislator.full_name, Campaign.name, assignee.name)
        .outerjoin(Legislator, Legislator.id == Task.legislator_id)
        .outerjoin(Campaign, Campaign.id == Task.campaign_id)
        .outerjoin(assignee, assignee.id == Task.assignee_id)
    )


def my_tasks(user, now: datetime | None = None) -> TaskBuckets:
    """Open tasks assigned to the user, bucketed by the user's own calendar."""
    now = now or utcnow()
    today = local_today(user.timezone, now)
    _, end_of_today = local_day_bounds(today, user.timezone)
    _, end_of_week = local_day_bounds(today + timedelta(days=6 - today.weekday()), user.timezone)
    statement = _task_rows(select(Task)).where(Task.assignee_id == user.id, Task.status == "open")
    statement = statement.order_by(Task.due_at.is_(None), Task.due_at, Task.id)
    buckets = TaskBuckets([], [], [], [])
    for row in db.session.execute(statement).all():
        due = row.Task.due_at
        if due is None:
            buckets.later.append(row)
        elif due < now:
            buckets.overdue.append(row)
        elif due < end_of_today:
            buckets.today.append(row)
        elif due < end_of_week:
            buckets.this_week.append(row)
        else:
            buckets.later.append(row)
    return buckets


def task_row(task_id: int):
    return db.session.execute(_task_rows(select(Task)).where(Task.id == task_id)).one_or_none()


def team_tasks(*, page: int, assignee_id=None, campaign_id=None, status="open") -> Page:
    statement = _task_rows(select(Task))
    if assignee_id:
        statement = statement.where(Task.assignee_id == assignee_id)
    if campaign_id:
        statement = statement.where(Task.campaign_id == campaign_id)
    if status in ("open", "done", "cancelled"):
        statement = statement.where(Task.status == status)
    statement = statement.order_by(Task.due_at.is_(None), Task.due_at, Task.id)
    return paginate(statement, page, 50, scalars=False)


def overdue_by_officer(now: datetime | None = None, campaign_id=None) -> list:
    """Per staff member: open tasks and how many are overdue, worst first."""
    now = now or utcnow()
    join_on = and_(Task.assignee_id == User.id, Task.status == "open")
    if campaign_id:
        join_on = and_(join_on, Task.campaign_id == campaign_id)
    overdue = func.sum(case((Task.due_at < now, 1), else_=0))
    statement = (
        select(User.id, User.name, func.count(Task.id).label("open"), func.coalesce(overdue, 0).label("overdue"))
        .outerjoin(Task, join_on)
        .where(User.role.in_(STAFF_ROLES), User.active.is_(True))
        .group_by(User.id, User.name)
        .order_by(func.coalesce(overdue, 0).desc(), User.name)
    )
    return db.session.execute(statement).all()


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
        author = aliased(User)
        statement = (
            select(Interaction, author.name, Campaign.name)
            .outerjoin(author, author.id == Interaction.author_id)
            .outerjoin(Campaign, Campaign.id == Interaction.campaign_id)
            .where(Interaction.id.in_(ids["interaction"]))
            .options(selectinload(Interaction.legislators))
        )
        for item, author_name, campaign_name in db.session.execute(statement).all():
            loaded["interaction"][item.id] = (item, {"author": author_name, "campaign": campaign_name})
    if ids["stance"]:
        assessor = aliased(User)
        statement = (
            select(StanceAssessment, Campaign.name, assessor.name)
            .join(Campaign, Campaign.id == StanceAssessment.campaign_id)
            .outerjoin(assessor, assessor.id == StanceAssessment.assessed_by_id)
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


# --- Calendar feed ---


def calendar_items(user, now: datetime | None = None, days_back: int = 180):
    """The user's own meetings (author or attendee) and open task due dates, three statements."""
    now = now or utcnow()
    attended = exists().where(interaction_staff.c.interaction_id == Interaction.id, interaction_staff.c.user_id == user.id)
    interactions = list(
        db.session.execute(
            select(Interaction)
            .where(
                interaction_visible(user),
                or_(Interaction.author_id == user.id, attended),
                Interaction.starts_at >= now - timedelta(days=days_back),
            )
            .options(selectinload(Interaction.legislators))
            .order_by(Interaction.starts_at)
        ).scalars()
    )
    tasks = []
    if user.is_staff:
        tasks = db.session.execute(
            _task_rows(select(Task))
            .where(Task.assignee_id == user.id, Task.status == "open", Task.due_at.is_not(None))
            .order_by(Task.due_at)
        ).all()
    return interactions, tasks

