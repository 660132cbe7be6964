"""Stance changes of the last minutes, for the live whip board's "who changed what"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from crm.accounts.models import User
from crm.campaigns.models import StanceAssessment as SA
from crm.extensions import db
from crm.legislature.models import Legislator

CHANGES_SHOWN = 8


@dataclass(slots=True)
class Change:
    at: datetime
    who: str | None
    legislator_id: int
    legislator: str
    level: str


def recent_changes(campaign_id: int, since: datetime,
                   limit: int = CHANGES_SHOWN) -> tuple[int, datetime | None, list[Change]]:
    """How many stances of the campaign were recorded since `since`, when the oldest of them was, and the newest
    few (one statement). The oldest, listed or not, is when the count first goes down."""
    statement = (
        select(SA.assessed_at, User.name, Legislator.id, Legislator.full_name, SA.level, func.count().over(),
               func.min(SA.assessed_at).over())
        .join(Legislator, Legislator.id == SA.legislator_id)
        .outerjoin(User, User.id == SA.assessed_by_id)
        .where(SA.campaign_id == campaign_id, SA.assessed_at >= since)
        .order_by(SA.assessed_at.desc(), SA.id.desc())
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    if not rows:
        return 0, None, []
    return rows[0][5], rows[0][6], [Change(*row[:5]) for row in rows]
