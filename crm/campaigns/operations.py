"""Every write in the campaigns domain: validated, flushed and audited; the caller commits."""

from datetime import datetime

from flask_babel import gettext as _

from crm.campaigns.models import COMMITMENTS, STANCE_LEVELS, StanceAssessment
from crm.core import audit
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
    commitment: str = "inferred",
    confidence: int = 50,
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
    return assessment
