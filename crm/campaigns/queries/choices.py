"""Menus for the campaign forms and the partner access page."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from crm.accounts.models import PartnerOrganisation
from crm.campaigns.models import CampaignPartnerAccess
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    Legislator,
    Legislature,
)

# --- forms' choices and the partner access page -------------------------------------------------------


def legislature_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Legislature.id, Legislature.name, Legislature.period_label).order_by(Legislature.start_date.desc(), Legislature.name)).all()
    return [(i, f"{n} ({p})" if p else n) for i, n, p in rows]


def body_choices(
    legislature_id: int | None, keep_chamber: int | None = None, keep_committee: int | None = None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Chambers and committees a stage can target: those of the campaign's legislature when it has one,
    plus the stage's current body, so editing a stage never silently drops it."""
    chambers = select(Chamber.id, Chamber.name, Legislature.name).join(Legislature).order_by(Legislature.name, Chamber.name)
    committees = (
        select(Committee.id, Committee.name, Chamber.name)
        .join(Chamber, Chamber.id == Committee.chamber_id)
        .order_by(Chamber.name, Committee.name)
    )
    if legislature_id:
        chambers = chambers.where(or_(Chamber.legislature_id == legislature_id, Chamber.id == (keep_chamber or -1)))
        committees = committees.where(
            or_(Chamber.legislature_id == legislature_id, Committee.id == (keep_committee or -1))
        )
    return (
        [(i, f"{n} · {leg}") for i, n, leg in db.session.execute(chambers).all()],
        [(i, f"{n} · {ch}") for i, n, ch in db.session.execute(committees).all()],
    )


def partner_access_rows(campaign_id: int) -> list[tuple[PartnerOrganisation, str]]:
    rows = db.session.execute(
        select(PartnerOrganisation, CampaignPartnerAccess.level)
        .outerjoin(
            CampaignPartnerAccess,
            and_(
                CampaignPartnerAccess.partner_organisation_id == PartnerOrganisation.id,
                CampaignPartnerAccess.campaign_id == campaign_id,
            ),
        )
        .order_by(PartnerOrganisation.name)
    ).all()
    return [(partner, level or "aggregate") for partner, level in rows]


def legislator_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Legislator.id, Legislator.full_name).where(Legislator.id.in_(ids))).all())
