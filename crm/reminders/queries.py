"""Read side of the outbox admin page: counts per status and one page of rows (three statements)."""

from sqlalchemy import func, select

from crm.core.outbox import OUTBOX_STATUSES, OutboundEmail
from crm.core.pagination import Page, paginate
from crm.extensions import db

# What an admin needs to act on comes first.
STATUS_TABS = ("failed", "missed", "pending", "sending", "sent", "discarded")
ATTENTION = ("failed", "missed", "pending", "sending")


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status))
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def outbox_page(status: str | None, page: int, per_page: int = 50) -> Page:
    statement = select(OutboundEmail)
    if status in OUTBOX_STATUSES:
        statement = statement.where(OutboundEmail.status == status)
    else:
        statement = statement.where(OutboundEmail.status.in_(ATTENTION))
    statement = statement.order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
    return paginate(statement, page, per_page)
