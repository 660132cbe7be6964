"""The outbox table: mail is written here inside the transaction and delivered by a sender after commit."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.types import UTCDateTime
from crm.extensions import db

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "discarded", "missed")


class OutboundEmail(db.Model):
    """The outbox: written inside the request's transaction, delivered by a sender after commit."""

    __tablename__ = "outbound_emails"
    __table_args__ = (Index("ix_outbound_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set and committed just before the message is handed to the SMTP server, cleared with the outcome. A row
    # found still carrying it after its lease ended was in flight when its sender died: the server may or may
    # not have accepted it, so the resend may be a second copy (with the same Message-ID).
    handoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many such unknown outcomes the row has had; above 0 it is listed as "possibly duplicated".
    unknown_outcomes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Sent as the List-Unsubscribe header; reminder mail only (account mail cannot be unsubscribed).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
