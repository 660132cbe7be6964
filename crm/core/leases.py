"""Rows that several worker processes share out by lease: the mail outbox and the webhook deliveries.

A row is claimable when it is pending and due, or when the worker that leased it let the lease run out (it died).
"""

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, or_


def new_owner() -> str:
    """A lease holder's name: host, process and a random part, so a restarted process never reuses one."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claimable(table, now: datetime):
    return or_(
        and_(table.c.status == "pending", table.c.next_attempt_at <= now),
        and_(table.c.status == "sending", table.c.lease_until < now),
    )


def claim(connection, table, candidates, now: datetime, values: dict) -> list[int]:
    """Give the rows `candidates` selects (ids of claimable rows) the lease `values`; the ids actually claimed."""
    if connection.dialect.name == "postgresql":
        # Rows another worker has locked are skipped, not waited for; the UPDATE runs under our row locks.
        ids = list(connection.execute(candidates.with_for_update(skip_locked=True)).scalars())
        if ids:
            connection.execute(table.update().where(table.c.id.in_(ids)).values(**values))
        return ids
    # SQLite: one conditional UPDATE. Writers are serialised (BEGIN IMMEDIATE), and the WHERE repeats the
    # claimable test, so a row another worker claimed a moment ago no longer matches.
    return list(connection.execute(
        table.update().where(table.c.id.in_(candidates.scalar_subquery()), claimable(table, now))
        .values(**values).returning(table.c.id)
    ).scalars())


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
