"""Writes on follow-up tasks: create, update, complete, cancel or reopen; validated, flushed and audited."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import false, or_, true

from crm.accounts.models import User
from crm.campaigns.models import Campaign
from crm.core import audit, events
from crm.core.mail import header_value
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach.models import TASK_PRIORITIES, TASK_STATUSES, Interaction, Task
from crm.outreach.operations.common import OutreachError, clean

TASK_COMPLETED = "task.completed"  # the webhook event (a constant, so the audit-label test never takes it for an action)
TASK_FIELDS = (
    "title",
    "description",
    "due_at",
    "priority",
    "status",
    "assignee_id",
    "legislator_id",
    "interaction_id",
    "campaign_id",
    "completed_by_id",
    "completed_at",
)


def can_modify_task(user, task: Task) -> bool:
    if not (user and user.is_authenticated and user.is_staff):
        return False
    return user.is_manager or user.id in (task.assignee_id, task.created_by_id)


def modifiable_tasks(user):
    """can_modify_task as a WHERE clause, kept beside it: lists that link to the task page offer only these."""
    if not (user and user.is_authenticated and user.is_staff):
        return false()
    if user.is_manager:
        return true()
    return or_(Task.assignee_id == user.id, Task.created_by_id == user.id)


@dataclass
class TaskDraft:
    """A follow-up typed while logging an interaction; saved with it."""

    title: str
    due_at: datetime | None = None
    assignee_id: int | None = None
    priority: str = "normal"
    description: str | None = None
    legislator_id: int | None = None


def validate_task(draft: TaskDraft) -> None:
    if not clean(draft.title):
        raise OutreachError(_("Escriba el título de la tarea."), "title")
    if len(draft.title.strip()) > 200:
        raise OutreachError(_("El título no puede pasar de 200 caracteres."), "title")
    if draft.priority not in TASK_PRIORITIES:
        raise OutreachError(_("Prioridad desconocida."), "priority")
    if draft.due_at is not None and draft.due_at.tzinfo is None:
        raise OutreachError(_("Indique la fecha límite."), "due_at")
    if draft.assignee_id is not None:
        assignee = db.session.get(User, draft.assignee_id)
        if assignee is None or not assignee.is_staff or not assignee.active:
            raise OutreachError(_("La persona responsable debe ser del equipo."), "assignee_id")



def _check_task_links(legislator_id, interaction_id, campaign_id) -> None:
    if legislator_id is not None and db.session.get(Legislator, legislator_id) is None:
        raise OutreachError(_("El legislador elegido no existe."), "legislator_id")
    if interaction_id is not None:
        interaction = db.session.get(Interaction, interaction_id)
        if interaction is None or interaction.deleted_at is not None:
            raise OutreachError(_("El contacto elegido no existe."), "interaction_id")
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        raise OutreachError(_("La campaña elegida no existe."), "campaign_id")


def create_task(
    *,
    actor,
    title: str,
    due_at: datetime | None = None,
    priority: str = "normal",
    assignee_id: int | None = None,
    description: str | None = None,
    legislator_id: int | None = None,
    interaction_id: int | None = None,
    campaign_id: int | None = None,
    is_demo: bool = False,
) -> Task:
    draft = TaskDraft(title=title or "", due_at=due_at, assignee_id=assignee_id, priority=priority)
    validate_task(draft)
    _check_task_links(legislator_id, interaction_id, campaign_id)
    task = Task(
        title=header_value(title),
        description=clean(description),
        due_at=due_at,
        priority=priority,
        status="open",
        assignee_id=assignee_id,
        legislator_id=legislator_id,
        interaction_id=interaction_id,
        campaign_id=campaign_id,
        created_by_id=getattr(actor, "id", None),
        created_at=utcnow(),
        is_demo=is_demo,
    )
    db.session.add(task)
    db.session.flush()
    audit.record("task.create", task, new=audit.snapshot(task, TASK_FIELDS), actor=actor)
    events.emit("task.created", task)
    return task


def update_task(task: Task, *, actor, **values) -> Task:
    unknown = set(values) - {"title", "description", "due_at", "priority", "assignee_id", "legislator_id", "campaign_id", "status"}
    if unknown:
        raise OutreachError(_("Campo desconocido."))
    merged = {name: values.get(name, getattr(task, name)) for name in ("title", "due_at", "assignee_id", "priority")}
    validate_task(TaskDraft(**merged))
    _check_task_links(values.get("legislator_id"), None, values.get("campaign_id"))
    status = values.pop("status", task.status)
    if status not in TASK_STATUSES:
        raise OutreachError(_("Estado desconocido."), "status")
    before = audit.snapshot(task, TASK_FIELDS)
    for name, value in values.items():
        setattr(task, name, clean(value) if name == "description" else value)
    task.title = header_value(task.title)
    _set_status(task, status, actor)
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(task, TASK_FIELDS))
    if new:
        audit.record("task.update", task, old=old, new=new, actor=actor)
    if new.get("status") == "done":
        events.emit(TASK_COMPLETED, task)
    return task


def _set_status(task: Task, status: str, actor) -> None:
    if status == task.status:
        return
    task.status = status
    if status == "open":
        task.completed_at = None
        task.completed_by_id = None
    else:
        task.completed_at = utcnow()
        task.completed_by_id = actor.id


def set_task_status(task: Task, status: str, *, actor) -> Task:
    """Complete, cancel or reopen; who closed it and when is kept for the record."""
    if status not in TASK_STATUSES:
        raise OutreachError(_("Estado desconocido."), "status")
    if status == task.status:
        return task
    before = audit.snapshot(task, ("status", "completed_at", "completed_by_id"))
    _set_status(task, status, actor)
    db.session.flush()
    action = {"done": "task.complete", "open": "task.reopen", "cancelled": "task.cancel"}[status]
    audit.record(action, task, old=before, new=audit.snapshot(task, ("status", "completed_at", "completed_by_id")), actor=actor)
    if status == "done":
        events.emit(TASK_COMPLETED, task)
    return task
