"""Writes on interactions: log one (with the stances seen and its follow-up tasks), edit, delete and restore it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import DEFAULT_CONFIDENCE, STANCE_LEVELS, Campaign
from crm.campaigns.operations import CampaignError, record_stance
from crm.core import audit, events
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Aide, Legislator
from crm.outreach.models import INTERACTION_KINDS, Interaction
from crm.outreach.operations.common import OutreachError, clean
from crm.outreach.operations.tasks import TaskDraft, create_task, validate_task

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
# A contact is logged once it has happened (planned meetings are tasks). A day of slack covers any timezone and
# a meeting logged just before it starts; beyond that a date is a typo (2030 for 2026).
AHEAD_ALLOWED = timedelta(days=1)


def can_edit_interaction(user, interaction: Interaction) -> bool:
    if not (user and user.is_authenticated and user.is_staff):
        return False
    return user.is_manager or interaction.author_id == user.id


def can_restore_interaction(user) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)



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


def check_starts_at(starts_at: datetime | None, now: datetime | None = None) -> None:
    """The one rule for a contact's date, for every form and the API: given, and not beyond AHEAD_ALLOWED."""
    if starts_at is None or starts_at.tzinfo is None:
        raise OutreachError(_("Indique la fecha y hora."), "starts_at")
    if starts_at > (now or utcnow()) + AHEAD_ALLOWED:
        raise OutreachError(
            _("La fecha está en el futuro: registre los contactos que ya ocurrieron (hasta mañana). "
              "Para planificar una reunión, cree una tarea."),
            "starts_at",
        )


def _validate_scalars(data: InteractionInput, previous_starts_at: datetime | None = None) -> None:
    if data.kind not in INTERACTION_KINDS:
        raise OutreachError(_("Tipo de contacto desconocido."), "kind")
    if data.starts_at is None or data.starts_at != previous_starts_at:
        # An edit that keeps an old date (logged before this rule) is not refused for it.
        check_starts_at(data.starts_at)
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
    interaction.place = clean(data.place)
    interaction.campaign_id = data.campaign_id
    interaction.notes = clean(data.notes)
    interaction.notes_internal = bool(data.notes_internal)
    interaction.outcome = clean(data.outcome)
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
    commitment: str | None = None,
    confidence: int | None = None,
) -> Interaction:
    """Save an interaction, the stances observed in it and its follow-up tasks, all or nothing.

    `commitment` and `confidence` apply to every observed stance; left out, they are the meeting's defaults
    (observed_commitment, DEFAULT_CONFIDENCE)."""
    _validate_scalars(data)
    links = _load_links(data)
    stances = {int(k): v for k, v in (stances or {}).items() if v}
    _validate_stances(stances, [x.id for x in links[0]], data.campaign_id)
    for draft in tasks or []:
        validate_task(draft)
    now = utcnow()
    interaction = Interaction(author_id=getattr(actor, "id", None), created_at=now, is_demo=is_demo)
    _apply(interaction, data, links)
    db.session.add(interaction)
    db.session.flush()
    audit.record("interaction.create", interaction, new=_interaction_state(interaction), actor=actor)
    record_observed_stances(interaction, stances, actor=actor, is_demo=is_demo, commitment=commitment,
                            confidence=confidence)
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
    events.emit("interaction.created", interaction)
    return interaction


def observed_commitment(kind: str) -> str:
    """The commitment a stance seen in a contact of this kind has unless chosen: said face to face or on the
    phone it is private; read from an email or an event it is inferred."""
    return "private" if kind in ("meeting", "call") else "inferred"


def record_observed_stances(interaction: Interaction, stances: dict[int, str], *, actor, is_demo=False,
                            commitment: str | None = None, confidence: int | None = None) -> list:
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
                    commitment=commitment or observed_commitment(interaction.kind),
                    confidence=DEFAULT_CONFIDENCE if confidence is None else confidence,
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
    _validate_scalars(data, interaction.starts_at)
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
    if new:
        events.emit("interaction.updated", interaction)
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
