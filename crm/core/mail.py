"""Email only through the outbox: callers add a row; a sender delivers it after commit."""

import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.core.time import utcnow
from crm.extensions import db


def message_id_for(key: str) -> str:
    """Deterministic, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN", "cabildeo.local")
    return f"<{digest}@{domain}>"


def enqueue_email(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str | None = None,
    user_id: int | None = None,
    send_after: datetime | None = None,
) -> bool:
    """Insert one outbox row; a second call with the same key changes nothing. True when a row was added."""
    from crm.reminders.models import OutboundEmail

    now = utcnow()
    values = dict(
        idempotency_key=key,
        kind=kind,
        user_id=user_id,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        status="pending",
        attempts=0,
        next_attempt_at=send_after or now,
        message_id=message_id_for(key),
        created_at=now,
    )
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutboundEmail)
        statement = insert.values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
        return db.session.execute(statement).rowcount == 1
    exists = db.session.execute(select(OutboundEmail.id).where(OutboundEmail.idempotency_key == key)).first()
    if exists:
        return False
    db.session.add(OutboundEmail(**values))
    db.session.flush()
    return True
