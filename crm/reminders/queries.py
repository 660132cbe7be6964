"""Read side of the outbox admin page: counts per status and one page of rows (three statements)."""

from sqlalchemy import func, select

from crm.core.outbox import OUTBOX_STATUSES, OutboundEmail
from crm.core.pagination import Page, paginate
from crm.extensions import db

# What an admin needs to act on comes first. "duplicated" is not a status: it lists the rows whose sender died
# while the SMTP server had the message, so the recipient may have received it twice (same Message-ID).
DUPLICATED = "duplicated"
STATUS_TABS = ("failed", "missed", "pending", "sending", "sent", "discarded", DUPLICATED)
ATTENTION = ("failed", "missed", "pending", "sending")


def status_counts() -> dict[str, int]:
    """Rows per status, and (same statement) how many were possibly delivered twice."""
    rows = db.session.execute(
        select(OutboundEmail.status, func.count(), func.count().filter(OutboundEmail.unknown_outcomes > 0))
        .group_by(OutboundEmail.status)
    )
    counts = dict.fromkeys((*OUTBOX_STATUSES, DUPLICATED), 0)
    for status, count, duplicated in rows:
        counts[status] = count
        counts[DUPLICATED] += duplicated
    return counts


def outbox_page(status: str | None, page: int, per_page: int = 50) -> Page:
    statement = select(OutboundEmail)
    if status == DUPLICATED:
        statement = statement.where(OutboundEmail.unknown_outcomes > 0)
    elif status in OUTBOX_STATUSES:
        statement = statement.where(OutboundEmail.status == status)
    else:
        statement = statement.where(OutboundEmail.status.in_(ATTENTION))
    statement = statement.order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
    return paginate(statement, page, per_page)
