"""Email only through the outbox: callers add a row; a sender delivers it after commit."""

import hashlib
import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.core.outbox import OutboundEmail
from crm.core.time import utcnow
from crm.extensions import db

# Every character Python treats as a line break (str.splitlines), not just CR and LF: any of them in a header
# value could end the header early or make the email package refuse the whole message.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def header_value(value: str | None) -> str:
    """One line, safe as an email header value: every line break (CR, LF, a bare LF…) becomes one space."""
    if not value:
        return ""
    return _LINE_BREAKS.sub(" ", value).strip()


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, built from BASE_URL; works in jobs, where there is no request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def message_id_for(key: str) -> str:
    """Deterministic, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN", "cabildeo.local")
    return f"<{digest}@{domain}>"


def outbox_row(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str | None = None,
    user_id: int | None = None,
    send_after: datetime | None = None,
    now: datetime | None = None,
    status: str = "pending",
    note: str | None = None,
    unsubscribe_url: str | None = None,
) -> dict:
    """The column values of one outbox row. A 'missed' row keeps its reason in last_error and is never sent."""
    now = now or utcnow()
    return dict(
        idempotency_key=key,
        kind=kind,
        user_id=user_id,
        subject=header_value(subject)[:300],
        recipient=header_value(recipient),
        body_text=text,
        body_html=html,
        status=status,
        attempts=0,
        next_attempt_at=send_after or now,
        message_id=message_id_for(key),
        created_at=now,
        last_error=note,
        unsubscribe_url=unsubscribe_url,
    )


def enqueue_many(rows: list[dict]) -> int:
    """Insert outbox rows in one statement; rows whose key already exists are skipped. Returns rows added."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutboundEmail)
        statement = insert.on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(OutboundEmail.id)
        if len(rows) == 1:
            return len(db.session.execute(statement.values(**rows[0])).all())
        # Core executemany with RETURNING: SQLAlchemy sends it as multi-row INSERTs (1,000 rows a statement),
        # and only the rows really inserted come back.
        return len(db.session.connection().execute(statement, rows).all())
    added = 0
    for values in rows:
        exists = db.session.execute(
            select(OutboundEmail.id).where(OutboundEmail.idempotency_key == values["idempotency_key"])
        ).first()
        if not exists:
            db.session.add(OutboundEmail(**values))
            added += 1
    db.session.flush()
    return added


def enqueue_email(**fields) -> bool:
    """Insert one outbox row; a second call with the same key changes nothing. True when a row was added.

    Keyword arguments are those of outbox_row(): key, kind, recipient, subject, text, html, user_id,
    send_after, now, status, note, unsubscribe_url.
    """
    return enqueue_many([outbox_row(**fields)]) == 1
