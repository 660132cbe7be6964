"""Every write in the campaigns domain: validated, flushed and audited; the caller commits."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.campaigns import votemath
from crm.campaigns.models import (
    COMMITMENTS,
    DEFAULT_COLD_DAYS,
    DEFAULT_COMMITMENT,
    DEFAULT_CONFIDENCE,
    STANCE_LEVELS,
    Campaign,
    CampaignPartnerAccess,
    StanceAssessment,
    VoteStage,
)
from crm.core import audit, events
from crm.core.time import utcnow
from crm.extensions import db


class CampaignError(ValueError):
    """A refusal the user can act on; the message is already translated."""


def record_stance(
    *,
    campaign_id: int,
    legislator_id: int,
    level: str,
    actor,
    commitment: str = DEFAULT_COMMITMENT,
    confidence: int = DEFAULT_CONFIDENCE,
    evidence: str | None = None,
    source_url: str | None = None,
    interaction_id: int | None = None,
    assessed_at: datetime | None = None,
    is_demo: bool = False,
) -> StanceAssessment:
    """Append a stance assessment; history is never edited."""
    if level not in STANCE_LEVELS:
        raise CampaignError(_("Postura desconocida: %(level)s", level=level))
    if commitment not in COMMITMENTS:
        raise CampaignError(_("Compromiso desconocido: %(value)s", value=commitment))
    if not 0 <= int(confidence) <= 100:
        raise CampaignError(_("La confianza debe estar entre 0 y 100."))
    assessment = StanceAssessment(
        campaign_id=campaign_id,
        legislator_id=legislator_id,
        level=level,
        commitment=commitment,
        confidence=int(confidence),
        evidence=evidence,
        source_url=source_url,
        interaction_id=interaction_id,
        assessed_by_id=getattr(actor, "id", None),
        assessed_at=assessed_at or utcnow(),
        is_demo=is_demo,
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "stance.assess",
        assessment,
        new={
            "campaign_id": campaign_id,
            "legislator_id": legislator_id,
            "level": level,
            "commitment": commitment,
            "confidence": int(confidence),
            "interaction_id": interaction_id,
        },
        actor=actor,
    )
    events.emit("stance.changed", assessment)
    return assessment


# --- campaigns, stages and partner access -------------------------------------------------------------

CAMPAIGN_FIELDS = ("name", "bill_number", "summary", "status", "legislature_id", "going_cold_days")
CAMPAIGN_STATUSES = ("active", "paused", "won", "lost", "archived")
STAGE_FIELDS = (
    "name",
    "chamber_id",
    "committee_id",
    "target_date",
    "rule_kind",
    "fraction_numerator",
    "fraction_denominator",
    "fixed_votes",
    "expected_attendance_pct",
)
ACCESS_LEVELS = ("aggregate", "whip_list")


def _clean_campaign(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise CampaignError(_("El nombre de la campaña es obligatorio."))
    if values.get("status", "active") not in CAMPAIGN_STATUSES:
        raise CampaignError(_("Estado desconocido."))
    days = values.get("going_cold_days")
    days = DEFAULT_COLD_DAYS if days in (None, "") else int(days)
    if not 1 <= days <= 365:
        raise CampaignError(_("Los días para «enfriarse» deben estar entre 1 y 365."))
    return {
        "name": name,
        "bill_number": (values.get("bill_number") or "").strip() or None,
        "summary": (values.get("summary") or "").strip() or None,
        "status": values.get("status") or "active",
        "legislature_id": values.get("legislature_id") or None,
        "going_cold_days": days,
    }


def create_campaign(*, actor, is_demo: bool = False, **values) -> Campaign:
    clean = _clean_campaign(values)
    campaign = Campaign(**clean, is_demo=is_demo, created_at=utcnow())
    db.session.add(campaign)
    db.session.flush()
    audit.record("campaign.create", campaign, new=clean, actor=actor)
    return campaign


def _apply_audited(obj, clean: dict, fields, action: str, actor):
    """Set the cleaned values on obj and audit what really changed (nothing is recorded if nothing did)."""
    before = audit.snapshot(obj, fields)
    for key, value in clean.items():
        setattr(obj, key, value)
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(obj, fields))
    if new:
        audit.record(action, obj, old=old, new=new, actor=actor)
    return obj


def update_campaign(campaign: Campaign, *, actor, **values) -> Campaign:
    return _apply_audited(campaign, _clean_campaign(values), CAMPAIGN_FIELDS, "campaign.update", actor)


def _clean_stage(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise CampaignError(_("El nombre de la etapa es obligatorio."))
    chamber_id = values.get("chamber_id") or None
    committee_id = values.get("committee_id") or None
    if bool(chamber_id) == bool(committee_id):
        raise CampaignError(_("Elija una cámara o una comisión (solo una)."))
    kind = values.get("rule_kind")
    if kind not in votemath.RULE_KINDS:
        raise CampaignError(_("Regla de votación desconocida."))
    clean = {
        "name": name,
        "chamber_id": chamber_id,
        "committee_id": committee_id,
        "target_date": values.get("target_date") or None,
        "rule_kind": kind,
        "fraction_numerator": None,
        "fraction_denominator": None,
        "fixed_votes": None,
        "expected_attendance_pct": None,
    }
    if kind == "simple_majority":
        pct = values.get("expected_attendance_pct")
        pct = 100 if pct in (None, "") else int(pct)
        if not 1 <= pct <= 100:
            raise CampaignError(_("La asistencia esperada debe estar entre 1 y 100 %."))
        clean["expected_attendance_pct"] = pct
    elif kind == "fraction":
        num, den = values.get("fraction_numerator"), values.get("fraction_denominator")
        if not num or not den or int(num) <= 0 or int(den) <= 0 or int(num) > int(den):
            raise CampaignError(_("La fracción debe ser como 2/3 o 3/5 (numerador ≤ denominador)."))
        clean["fraction_numerator"], clean["fraction_denominator"] = int(num), int(den)
    elif kind == "fixed":
        fixed = values.get("fixed_votes")
        if fixed in (None, "") or int(fixed) < 1:
            raise CampaignError(_("Indique cuántos votos se necesitan (al menos 1)."))
        clean["fixed_votes"] = int(fixed)
    return clean


def add_stage(campaign: Campaign, *, actor, **values) -> VoteStage:
    clean = _clean_stage(values)
    last = db.session.execute(
        select(func.max(VoteStage.position)).where(VoteStage.campaign_id == campaign.id)
    ).scalar_one()
    stage = VoteStage(campaign_id=campaign.id, position=(last or 0) + 1, **clean)
    db.session.add(stage)
    db.session.flush()
    audit.record("stage.create", stage, new={"campaign_id": campaign.id, "position": stage.position, **clean}, actor=actor)
    return stage


# Fields that decide who votes at a stage and how many votes it needs.
STAGE_COUNT_FIELDS = ("chamber_id", "committee_id", "rule_kind", "fraction_numerator", "fraction_denominator",
                      "fixed_votes", "expected_attendance_pct")
STAGE_RULE_CHANGED = "stage.rule_changed"  # a signal for listeners (webhooks' whip.changed), not an audit action


def update_stage(stage: VoteStage, *, actor, **values) -> VoteStage:
    before = audit.snapshot(stage, STAGE_COUNT_FIELDS)
    _apply_audited(stage, _clean_stage(values), STAGE_FIELDS, "stage.update", actor)
    if audit.snapshot(stage, STAGE_COUNT_FIELDS) != before:
        events.emit(STAGE_RULE_CHANGED, stage)
    return stage


def _renumber(stages) -> None:
    """Dense positions 1..n in the given order."""
    for position, stage in enumerate(stages, start=1):
        stage.position = position
    db.session.flush()


def move_stage(stage: VoteStage, direction: str, *, actor) -> None:
    """Swap a stage with its neighbour; positions are renumbered 1..n so they stay dense."""
    if direction not in ("up", "down"):
        raise CampaignError(_("Dirección desconocida."))
    stages = list(
        db.session.execute(
            select(VoteStage).where(VoteStage.campaign_id == stage.campaign_id).order_by(VoteStage.position, VoteStage.id)
        ).scalars()
    )
    i = stages.index(stage)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(stages):
        return
    old = [s.id for s in stages]
    stages[i], stages[j] = stages[j], stages[i]
    _renumber(stages)
    audit.record("stage.reorder", stage, old={"order": old}, new={"order": [s.id for s in stages]}, actor=actor)


def delete_stage(stage: VoteStage, *, actor) -> None:
    """Stances belong to the campaign, not the stage, so removing a stage loses no history."""
    old = {"campaign_id": stage.campaign_id, **audit.snapshot(stage, STAGE_FIELDS)}
    campaign_id = stage.campaign_id
    audit.record("stage.delete", stage, old=old, actor=actor)
    db.session.delete(stage)
    db.session.flush()
    rest = db.session.execute(
        select(VoteStage).where(VoteStage.campaign_id == campaign_id).order_by(VoteStage.position, VoteStage.id)
    ).scalars()
    _renumber(rest)


def delete_campaign(campaign: Campaign, *, actor) -> None:
    """Only a campaign without any stance history can go; the others are archived, never erased."""
    has_history = db.session.execute(
        select(StanceAssessment.id).where(StanceAssessment.campaign_id == campaign.id).limit(1)
    ).first()
    if has_history:
        raise CampaignError(_("Esta campaña tiene posturas registradas: archívela en lugar de eliminarla."))
    audit.record("campaign.delete", campaign, old=audit.snapshot(campaign, CAMPAIGN_FIELDS), actor=actor)
    db.session.delete(campaign)
    db.session.flush()


def set_partner_access(campaign: Campaign, levels: dict[int, str], *, actor) -> None:
    """Set each partner's access level ({partner_id: level}); the campaign's grants are read in one statement."""
    if any(level not in ACCESS_LEVELS for level in levels.values()):
        raise CampaignError(_("Nivel de acceso desconocido."))
    existing = {
        row.partner_organisation_id: row
        for row in db.session.execute(
            select(CampaignPartnerAccess).where(CampaignPartnerAccess.campaign_id == campaign.id)
        ).scalars()
    }
    changed = []
    for partner_id, level in levels.items():
        row = existing.get(partner_id)
        old_level = row.level if row else "aggregate"
        if old_level == level:
            continue
        if row is None:
            row = CampaignPartnerAccess(campaign_id=campaign.id, partner_organisation_id=partner_id, level=level)
            db.session.add(row)
        else:
            row.level = level
        changed.append((row, partner_id, old_level, level))
    if not changed:
        return
    db.session.flush()
    for row, partner_id, old_level, level in changed:
        audit.record(
            "campaign.partner_access",
            row,
            old={"campaign_id": campaign.id, "partner_organisation_id": partner_id, "level": old_level},
            new={"level": level},
            actor=actor,
        )


def record_stances_bulk(*, campaign_id: int, legislator_ids: list[int], level: str, actor, **fields) -> int:
    """One assessment per legislator, each audited; all or nothing because the caller commits once."""
    ids = sorted(set(legislator_ids))
    if not ids:
        raise CampaignError(_("Seleccione al menos un legislador."))
    now = utcnow()
    for legislator_id in ids:
        record_stance(campaign_id=campaign_id, legislator_id=legislator_id, level=level, actor=actor, assessed_at=now, **fields)
    return len(ids)
