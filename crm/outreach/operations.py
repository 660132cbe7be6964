"""Every write in the outreach domain: validated, flushed and audited; the caller commits."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.accounts.models import User
from crm.campaigns.models import STANCE_LEVELS, Campaign
from crm.campaigns.operations import CampaignError, record_stance
from crm.coalition.models import PartnerOrganisation
from crm.core import audit
from crm.core.mail import header_value
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Aide, Legislator
from crm.outreach.models import INTERACTION_KINDS, TASK_PRIORITIES, TASK_STATUSES, Interaction, Task

INTERACTION_FIELDS = (
    "kind",
    "starts_at",
    "duration_minutes",
    "place",
    "campaign_id",
    "notes",
    "notes_internal",
    "outcome",
    "deleted_at",
    "deleted_by_id",
)
INTERACTION_LINKS = ("legislator_ids", "aide_ids", "staff_ids", "partner_ids")
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


class OutreachError(ValueError):
    """A refusal the user can act on; the message is already translated. `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Who may do what (checked on every object, not only on the page) ---


def can_edit_interaction(user, interaction: Interaction) -> bool:
    if not (user and user.is_authenticated and user.is_staff):
        return False
    return user.is_manager or interaction.author_id == user.id


def can_restore_interaction(user) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)


def can_modify_task(user, task: Task) -> bool:
    if not (user and user.is_authenticated and user.is_staff):
        return False
    return user.is_manager or user.id in (task.assignee_id, task.created_by_id)


# --- Interactions ---


@dataclass
class TaskDraft:
    """A follow-up typed while logging an interaction; saved with it."""

    title: str
    due_at: datetime | None = None
    assignee_id: int | None = None
    priority: str = "normal"
    description: str | None = None
    legislator_id: int | None = None


@dataclass
class InteractionInput:
    kind: str
    starts_at: datetime
    legislator_ids: list[int]
    duration_minutes: int | None = None
    place: str | None = None
    campaign_id: int | None = None
    aide_ids: list[int] = field(default_factory=list)
    staff_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    notes: str | None = None
    notes_internal: bool = False
    outcome: str | None = None


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _load_links(data: InteractionInput):
    """Fetch the linked rows, refusing ids that do not exist or do not fit together."""
    legislator_ids = list(dict.fromkeys(int(i) for i in data.legislator_ids))
    if not legislator_ids:
        raise OutreachError(_("Elija al menos un legislador."), "legislator_ids")
    legislators = db.session.execute(select(Legislator).where(Legislator.id.in_(legislator_ids))).scalars().all()
    if len(legislators) != len(legislator_ids):
        raise OutreachError(_("Uno de los legisladores elegidos no existe."), "legislator_ids")
    aides = []
    if data.aide_ids:
        aides = db.session.execute(select(Aide).where(Aide.id.in_(set(data.aide_ids)))).scalars().all()
        if len(aides) != len(set(data.aide_ids)) or any(a.legislator_id not in legislator_ids for a in aides):
            raise OutreachError(_("Los asesores deben trabajar con alguno de los legisladores elegidos."), "aide_ids")
    staff = []
    if data.staff_ids:
        staff = db.session.execute(select(User).where(User.id.in_(set(data.staff_ids)))).scalars().all()
        if len(staff) != len(set(data.staff_ids)) or any(not u.is_staff for u in staff):
            raise OutreachError(_("Solo el personal del equipo puede figurar como asistente."), "staff_ids")
    partners = []
    if data.partner_ids:
        partners = (
            db.session.execute(select(PartnerOrganisation).where(PartnerOrganisation.id.in_(set(data.partner_ids))))
            .scalars()
            .all()
        )
        if len(partners) != len(set(data.partner_ids)):
            raise OutreachError(_("Una de las organizaciones aliadas no existe."), "partner_ids")
    return legislators, aides, staff, partners


def _validate_scalars(data: InteractionInput) -> None:
    if data.kind not in INTERACTION_KINDS:
        raise OutreachError(_("Tipo de contacto desconocido."), "kind")
    if data.starts_at is None or data.starts_at.tzinfo is None:
        raise OutreachError(_("Indique la fecha y hora."), "starts_at")
    if data.duration_minutes is not None and not 0 < int(data.duration_minutes) <= 24 * 60:
        raise OutreachError(_("La duración debe estar entre 1 y 1440 minutos."), "duration_minutes")
    if data.place and len(data.place) > 200:
        raise OutreachError(_("El lugar no puede pasar de 200 caracteres."), "place")
    if data.campaign_id is not None and db.session.get(Campaign, data.campaign_id) is None:
        raise OutreachError(_("La campaña elegida no existe."), "campaign_id")


def _validate_stances(stances: dict[int, str], legislator_ids, campaign_id) -> None:
    if not stances:
        return
    if campaign_id is None:
        raise OutreachError(_("Elija la campaña para registrar posturas."), "campaign_id")
    for legislator_id, level in stances.items():
        if legislator_id not in legislator_ids:
            raise OutreachError(_("Solo se registra la postura de legisladores presentes."), "stances")
        if level not in STANCE_LEVELS:
            raise OutreachError(_("Postura desconocida: %(level)s", level=level), "stances")


def _validate_task(draft: TaskDraft) -> None:
    if not _clean(draft.title):
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


def _interaction_state(interaction: Interaction) -> dict:
    state = audit.snapshot(interaction, INTERACTION_FIELDS)
    state["legislator_ids"] = sorted(x.id for x in interaction.legislators)
    state["aide_ids"] = sorted(x.id for x in interaction.aides)
    state["staff_ids"] = sorted(x.id for x in interaction.staff)
    state["partner_ids"] = sorted(x.id for x in interaction.partners)
    return state


def _apply(interaction: Interaction, data: InteractionInput, links) -> None:
    legislators, aides, staff, partners = links
    interaction.kind = data.kind
    interaction.starts_at = data.starts_at
    interaction.duration_minutes = int(data.duration_minutes) if data.duration_minutes else None
    interaction.place = _clean(data.place)
    interaction.campaign_id = data.campaign_id
    interaction.notes = _clean(data.notes)
    interaction.notes_internal = bool(data.notes_internal)
    interaction.outcome = _clean(data.outcome)
    interaction.legislators = list(legislators)
    interaction.aides = list(aides)
    interaction.staff = list(staff)
    interaction.partners = list(partners)


def log_interaction(
    data: InteractionInput,
    *,
    actor,
    stances: dict[int, str] | None = None,
    tasks: list[TaskDraft] | None = None,
    is_demo: bool = False,
) -> Interaction:
    """Save an interaction, the stances observed in it and its follow-up tasks, all or nothing."""
    _validate_scalars(data)
    links = _load_links(data)
    stances = {int(k): v for k, v in (stances or {}).items() if v}
    _validate_stances(stances, [x.id for x in links[0]], data.campaign_id)
    for draft in tasks or []:
        _validate_task(draft)
    now = utcnow()
    interaction = Interaction(author_id=getattr(actor, "id", None), created_at=now, is_demo=is_demo)
    _apply(interaction, data, links)
    db.session.add(interaction)
    db.session.flush()
    audit.record("interaction.create", interaction, new=_interaction_state(interaction), actor=actor)
    record_observed_stances(interaction, stances, actor=actor, is_demo=is_demo)
    for draft in tasks or []:
        create_task(
            actor=actor,
            title=draft.title,
            description=draft.description,
            due_at=draft.due_at,
            priority=draft.priority,
            assignee_id=draft.assignee_id or getattr(actor, "id", None),
            legislator_id=draft.legislator_id or (links[0][0].id if len(links[0]) == 1 else None),
            interaction_id=interaction.id,
            campaign_id=data.campaign_id,
            is_demo=is_demo,
        )
    return interaction


def record_observed_stances(interaction: Interaction, stances: dict[int, str], *, actor, is_demo=False) -> list:
    """Each stance seen in a meeting becomes an assessment whose evidence is the meeting."""
    present = {x.id for x in interaction.legislators}
    _validate_stances(stances, present, interaction.campaign_id)
    made = []
    for legislator_id, level in stances.items():
        try:
            made.append(
                record_stance(
                    campaign_id=interaction.campaign_id,
                    legislator_id=legislator_id,
                    level=level,
                    actor=actor,
                    commitment="private" if interaction.kind in ("meeting", "call") else "inferred",
                    evidence=_("Observada en el contacto #%(id)s", id=interaction.id),
                    interaction_id=interaction.id,
                    assessed_at=interaction.starts_at if interaction.starts_at <= utcnow() else None,
                    is_demo=is_demo,
                )
            )
        except CampaignError as error:
            raise OutreachError(str(error), "stances") from error
    return made


def update_interaction(interaction: Interaction, data: InteractionInput, *, actor, stances=None) -> Interaction:
    if interaction.deleted_at is not None:
        raise OutreachError(_("Este contacto fue eliminado; restáurelo antes de editarlo."))
    _validate_scalars(data)
    links = _load_links(data)
    stances = {int(k): v for k, v in (stances or {}).items() if v}
    _validate_stances(stances, [x.id for x in links[0]], data.campaign_id)
    before = _interaction_state(interaction)
    _apply(interaction, data, links)
    interaction.updated_at = utcnow()
    db.session.flush()
    old, new = audit.changes(before, _interaction_state(interaction))
    if new:
        audit.record("interaction.update", interaction, old=old, new=new, actor=actor)
    record_observed_stances(interaction, stances, actor=actor)
    return interaction


def delete_interaction(interaction: Interaction, *, actor) -> None:
    """Soft delete: the row stays so an admin can restore it and the audit trail keeps its meaning."""
    if interaction.deleted_at is not None:
        return
    interaction.deleted_at = utcnow()
    interaction.deleted_by_id = actor.id
    db.session.flush()
    audit.record("interaction.delete", interaction, new={"deleted_at": interaction.deleted_at}, actor=actor)


def restore_interaction(interaction: Interaction, *, actor) -> None:
    if interaction.deleted_at is None:
        return
    old = {"deleted_at": interaction.deleted_at, "deleted_by_id": interaction.deleted_by_id}
    interaction.deleted_at = None
    interaction.deleted_by_id = None
    interaction.updated_at = utcnow()
    db.session.flush()
    audit.record("interaction.restore", interaction, old=old, actor=actor)


# --- Tasks ---


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
    _validate_task(draft)
    _check_task_links(legislator_id, interaction_id, campaign_id)
    task = Task(
        title=header_value(title),
        description=_clean(description),
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
    return task


def update_task(task: Task, *, actor, **values) -> Task:
    unknown = set(values) - {"title", "description", "due_at", "priority", "assignee_id", "legislator_id", "campaign_id", "status"}
    if unknown:
        raise OutreachError(_("Campo desconocido."))
    merged = {name: values.get(name, getattr(task, name)) for name in ("title", "due_at", "assignee_id", "priority")}
    _validate_task(TaskDraft(**merged))
    _check_task_links(values.get("legislator_id"), None, values.get("campaign_id"))
    status = values.pop("status", task.status)
    if status not in TASK_STATUSES:
        raise OutreachError(_("Estado desconocido."), "status")
    before = audit.snapshot(task, TASK_FIELDS)
    for name, value in values.items():
        setattr(task, name, _clean(value) if name == "description" else value)
    task.title = header_value(task.title)
    _set_status(task, status, actor)
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(task, TASK_FIELDS))
    if new:
        audit.record("task.update", task, old=old, new=new, actor=actor)
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
    return task
