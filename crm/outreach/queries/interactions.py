"""Interactions: who sees which, the list and detail, and the pickers and levels the forms use."""

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import aliased, selectinload

from crm.accounts.models import User
from crm.campaigns import stance
from crm.campaigns.models import Campaign, StanceAssessment
from crm.campaigns.visibility import whip_list_campaign_ids
from crm.core.pagination import Page, paginate
from crm.core.time import local_day_bounds
from crm.core.visibility import can_see_internal_notes
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.legislature.queries.picker import picked_legislators
from crm.outreach.models import Interaction, Task, interaction_legislators, interaction_partners, interaction_staff

# Built once: an alias made per call costs its column adaptation again on every request.
ASSIGNEE = aliased(User, name="assignee")

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
    """Whether `user` may read the interaction's notes and its outcome: the "internal" flag covers both."""
    return not interaction.notes_internal or can_see_internal_notes(user)


# --- Interactions ---


def week_bounds(day: date, tz_name: str | None) -> tuple[date, datetime, datetime]:
    """The Monday of the day's week and the UTC instants where that local week starts and ends."""
    monday = day - timedelta(days=day.weekday())
    return monday, local_day_bounds(monday, tz_name)[0], local_day_bounds(monday + timedelta(days=6), tz_name)[1]


def interaction_page(user, *, page: int, campaign_id=None, kind=None, legislator_id=None, mine=False, deleted=False,
                     between: tuple[datetime, datetime] | None = None) -> Page:
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
    if between is not None:
        statement = statement.where(Interaction.starts_at >= between[0], Interaction.starts_at < between[1])
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
        tasks = db.session.execute(
            select(Task, ASSIGNEE.name)
            .outerjoin(ASSIGNEE, ASSIGNEE.id == Task.assignee_id)
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


def legislators_by_ids(ids) -> list[Legislator]:
    return picked_legislators(ids, selectinload(Legislator.aides))


def campaign_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Campaign.id, Campaign.name).order_by((Campaign.status == "active").desc(), Campaign.name)
    ).all()
    return [(r.id, r.name) for r in rows]


def current_levels(campaign_id: int | None, legislator_ids) -> dict[int, str]:
    """The current stance per legislator on one campaign, for the meeting forms (none without a campaign)."""
    if not campaign_id:
        return {}
    return stance.levels_as_of(campaign_id, legislator_ids)
