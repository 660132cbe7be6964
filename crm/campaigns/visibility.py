"""Which campaigns' per-legislator whip lists a user may see (partner grants live with campaigns)."""

from sqlalchemy import select

from crm.campaigns.models import CampaignPartnerAccess
from crm.core.visibility import is_partner
from crm.extensions import db


def whip_list_campaign_ids(user) -> set[int] | None:
    """Campaign ids whose per-legislator whip list the user may see; None means all of them."""
    if user and user.is_authenticated and user.is_staff:
        return None
    if not is_partner(user) or not user.partner_organisation_id:
        return set()
    return set(db.session.execute(
        select(CampaignPartnerAccess.campaign_id).where(
            CampaignPartnerAccess.partner_organisation_id == user.partner_organisation_id,
            CampaignPartnerAccess.level == "whip_list",
        )
    ).scalars())


def can_see_whip_list(user, campaign_id: int) -> bool:
    allowed = whip_list_campaign_ids(user)
    return allowed is None or campaign_id in allowed
