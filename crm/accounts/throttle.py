"""Failure counters in the database, so every gunicorn worker on every host sees the same counts.

Nothing counted is stored in clear: a row's key is an HMAC (keyed with the app secret) of the email and/or
the client address. Counters are upserted and incremented in one statement, so two workers counting at
the same moment cannot lose a count, and they start again when their window has passed.
"""

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.accounts.models import RateLimit
from crm.extensions import db

_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def keyed_hash(*parts: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def typed_email_for_audit(typed: str) -> dict:
    """What an audit row may keep of an email that matched no account: a keyed hash and a masked form.

    People type passwords into the email field; the audit trail, which directors read, must not show them.
    The hash lets an admin see that the same thing was tried again; the mask keeps only the shape of an
    email (`a…@e….org`) and nothing of anything else.
    """
    typed = (typed or "").strip().lower()[:254]
    masked = None
    if _EMAIL_SHAPE.match(typed):
        local, domain = typed.split("@", 1)
        masked = f"{local[0]}…@{domain[0]}….{domain.rsplit('.', 1)[1]}"
    return {"email_hash": keyed_hash("audit-email", typed)[:24], "email_masked": masked}


def rows(keys: dict[str, str]) -> dict[str, RateLimit]:
    """The counters for these {scope: key} pairs, by scope (one SELECT)."""
    if not keys:
        return {}
    pairs = [(scope, key) for scope, key in keys.items()]
    found = db.session.execute(select(RateLimit).where(tuple_(RateLimit.scope, RateLimit.key).in_(pairs))).scalars()
    return {row.scope: row for row in found}


def _upsert(scope: str, key: str, now: datetime, values: dict, on_conflict: dict):
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(RateLimit)
    statement = insert.values(**{"scope": scope, "key": key, "window_started_at": now, **values})
    return statement.on_conflict_do_update(index_elements=["scope", "key"], set_=on_conflict)


def count(scope: str, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
    """Add one to a counter (a fresh window when the old one has passed); return the count and window start."""
    expired = RateLimit.window_started_at < now - window
    statement = _upsert(
        scope, key, now, {"failures": 1},
        {
            "failures": case((expired, 1), else_=RateLimit.failures + 1),
            "window_started_at": case((expired, now), else_=RateLimit.window_started_at),
        },
    ).returning(RateLimit.failures, RateLimit.window_started_at)
    failures, started = db.session.execute(statement).one()
    return failures, started


def block(scope: str, key: str, until: datetime) -> None:
    db.session.execute(
        update(RateLimit).where(RateLimit.scope == scope, RateLimit.key == key).values(blocked_until=until)
    )


def clear(scope: str, key: str, now: datetime) -> None:
    values = {"failures": 0, "blocked_until": None, "window_started_at": now}
    db.session.execute(_upsert(scope, key, now, values, values))


def growing_delay(failures: int, free: int, max_delay: timedelta) -> timedelta:
    """None for the first `free` failures, then 2 s, 4 s, 8 s … up to `max_delay`."""
    if failures <= free:
        return timedelta(0)
    return min(max_delay, timedelta(seconds=2 ** min(failures - free, 20)))


def remaining(row: RateLimit | None, now: datetime) -> timedelta:
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return timedelta(0)
    return row.blocked_until - now


def wait(keys: dict[str, str], now: datetime) -> timedelta:
    """How long a client must still wait: the longest block in force on any of these {scope: key} counters."""
    counters = rows(keys)
    return max((remaining(counters.get(scope), now) for scope in keys), default=timedelta(0))
