"""Tasks: my tasks in buckets, the team list and overdue work per officer."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from crm.accounts.models import User
from crm.campaigns.models import Campaign
from crm.core.pagination import Page, paginate
from crm.core.permissions import STAFF_ROLES
from crm.core.time import local_day_bounds, local_today, utcnow
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach.models import Task

# Built once: an alias made per call costs its column adaptation again on every request.
ASSIGNEE = aliased(User, name="assignee")

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
    return (
        statement.add_columns(Legislator.full_name, Campaign.name, ASSIGNEE.name)
        .outerjoin(Legislator, Legislator.id == Task.legislator_id)
        .outerjoin(Campaign, Campaign.id == Task.campaign_id)
        .outerjoin(ASSIGNEE, ASSIGNEE.id == Task.assignee_id)
    )


@cache
def _open_tasks_of():
    """Built once: My tasks is a page officers open many times a day."""
    return (_task_rows(select(Task)).where(Task.assignee_id == bindparam("assignee_id"), Task.status == "open")
            .order_by(Task.due_at.is_(None), Task.due_at, Task.id))


def my_tasks(user, now: datetime | None = None) -> TaskBuckets:
    """Open tasks assigned to the user, bucketed by the user's own calendar."""
    now = now or utcnow()
    today = local_today(user.timezone, now)
    _, end_of_today = local_day_bounds(today, user.timezone)
    _, end_of_week = local_day_bounds(today + timedelta(days=6 - today.weekday()), user.timezone)
    buckets = TaskBuckets([], [], [], [])
    for row in db.session.execute(_open_tasks_of(), {"assignee_id": user.id}).all():
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
