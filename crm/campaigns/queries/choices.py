"""Menus for the campaign forms and the partner access page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from crm.accounts.models import PartnerOrganisation
from crm.campaigns.models import CampaignPartnerAccess
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import (
    Chamber,
    Committee,
    Legislator,
    Legislature,
)

# --- forms' choices and the partner access page -------------------------------------------------------


def legislature_choices(today: date) -> list[tuple[int, str]]:
    """Legislatures for the campaign form: in session (or pinned) first, then the rest, latest term first."""
    options = scope.legislature_options(today)
    return [(o.id, o.name) for o in sorted(options, key=lambda o: not o.in_scope)]


def body_choices(
    legislature_id: int | None, today: date, keep_chamber: int | None = None, keep_committee: int | None = None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Chambers and committees a stage can target: those of the campaign's legislature (or, without one, of the
    current scope), plus the stage's current body, so editing a stage never silently drops it."""
    ids = [legislature_id] if legislature_id else scope.scope_ids(today)
    chambers = (
        select(Chamber.id, Chamber.name, Legislature.name).join(Legislature)
        .where(or_(scope.chambers_in(ids), Chamber.id == (keep_chamber or -1)))
        .order_by(Legislature.name, Chamber.name)
    )
    committees = (
        select(Committee.id, Committee.name, Chamber.name)
        .join(Chamber, Chamber.id == Committee.chamber_id)
        .where(or_(scope.committees_in(ids), Committee.id == (keep_committee or -1)))
        .order_by(Chamber.name, Committee.name)
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
