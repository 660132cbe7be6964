"""Items for the iCalendar feed: meetings and task due times."""

from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from crm.core.time import utcnow
from crm.extensions import db
from crm.outreach.models import Interaction, Task, interaction_staff
from crm.outreach.queries.interactions import interaction_visible
from crm.outreach.queries.tasks import _task_rows

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
