"""What each user may see. Partner (viewer) accounts see only what their organisation is granted."""

from sqlalchemy import select

from crm.extensions import db


def is_partner(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "viewer")


def can_see_internal_notes(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def whip_list_campaign_ids(user) -> set[int] | None:
    """Campaign ids whose per-legislator whip list the user may see; None means all of them."""
    if user and user.is_authenticated and user.is_staff:
        return None
    if not is_partner(user) or not user.partner_organisation_id:
        return set()
    from crm.campaigns.models import CampaignPartnerAccess

    rows = db.session.execute(
        select(CampaignPartnerAccess.campaign_id).where(
            CampaignPartnerAccess.partner_organisation_id == user.partner_organisation_id,
            CampaignPartnerAccess.level == "whip_list",
        )
    )
    return {r[0] for r in rows}


def can_see_whip_list(user, campaign_id: int) -> bool:
    allowed = whip_list_campaign_ids(user)
    return allowed is None or campaign_id in allowed


def can_write(user) -> bool:
    """Partners are read-only everywhere."""
    return bool(user and user.is_authenticated and user.is_staff)


def can_see_partner(user, partner_id: int) -> bool:
    """Staff see every partner organisation; a partner account sees only its own."""
    if user and user.is_authenticated and user.is_staff:
        return True
    return bool(is_partner(user) and user.partner_organisation_id and user.partner_organisation_id == partner_id)


def can_see_partner_notes(user) -> bool:
    """The team's notes about partner organisations are internal, even for the organisation itself."""
    return can_see_internal_notes(user)


def can_see_batch_notes(user) -> bool:
    return can_see_internal_notes(user)


def visible_notes(user, notes: str | None, internal: bool) -> str | None:
    """The notes text this user may read: internal notes are withheld from partner accounts."""
    if internal and not can_see_internal_notes(user):
        return None
    return notes
