from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

# The outbox model lives in crm.core.outbox (core mail writes it); the names stay importable from here.
from crm.core.outbox import OUTBOX_STATUSES as OUTBOX_STATUSES
from crm.core.outbox import OutboundEmail as OutboundEmail
from crm.core.types import UTCDateTime
from crm.extensions import db


class ProcessLock(db.Model):
    """A named lease row: the SQLite stand-in for a PostgreSQL advisory lock."""

    __tablename__ = "process_locks"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
