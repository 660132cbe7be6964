"""Deliver the outbox: claim rows atomically, commit the claim, send, then record the outcome.

The guarantee is at least once, with a copy possible in exactly one place (README, "Delivery guarantee"):
- A sender that dies after claiming leaves rows in 'sending' with a lease; once the lease ends any sender
  may claim them again, so mail is delayed, never lost.
- Just before a message is handed to the SMTP server its row is marked (`handoff_at`) and committed. Only
  one row per sender carries the mark at a time, so a killed sender leaves at most one message whose outcome
  is unknown. The next claim counts it in `unknown_outcomes` ("possibly duplicated" on /admin/mail) and sends
  it again with the same Message-ID, so mail clients fold the copy away.
- Once the server has accepted a message, recording "sent" is retried through database reconnects
  (bounded and logged), so a database restart causes no second copy.
- A database error that outlasts the retries releases the rest of the batch at once instead of leaving it
  in 'sending' for the whole lease.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from crm.core import leases
from crm.core.logging import error_reason, process_echo
from crm.core.outbox import OutboundEmail
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders.message import build_message
from crm.reminders.transport import PermanentFailure, TemporaryFailure, make_transport

log = logging.getLogger(__name__)

# Defaults of the settings in config.py (CRM_MAIL_LEASE_SECONDS, CRM_SEND_BATCH, CRM_MAIL_MAX_ATTEMPTS…).
DEFAULT_LEASE_SECONDS = 300
DEFAULT_BATCH = 50
DEFAULT_RETRY_BASE_SECONDS = 60
DEFAULT_RETRY_MAX_SECONDS = 6 * 3600
DEFAULT_MAX_ATTEMPTS = 10
DEFAULT_DB_RETRY_SECONDS = 60

_table = OutboundEmail.__table__
# The errors a database restart or a dropped connection produce; anything else is a bug, not an outage.
DATABASE_OUTAGE = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs of a row, copied out so the per-message commits never reload it."""

    id: int
    kind: str
    recipient: str
    created_at: datetime
    attempts: int


@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "DeliveryStats") -> None:
        for name in ("claimed", "sent", "retried", "failed", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def _setting(name: str, default):
    return current_app.config.get(name, default)


def with_reconnect(what: str, action):
    """Run `action()` (statements and their commit) until it works, through database reconnects.

    Retries only database outages, waiting 0.25 s, 0.5 s, 1 s… (at most 5 s) for at most MAIL_DB_RETRY_SECONDS
    in all, and logs each failed try. The pool replaces dead connections (pool_pre_ping), so after a server
    restart the next try runs on a fresh one.
    """
    budget = _setting("MAIL_DB_RETRY_SECONDS", DEFAULT_DB_RETRY_SECONDS)
    deadline = time.monotonic() + budget
    tries = 0
    while True:
        tries += 1
        try:
            return action()
        except DATABASE_OUTAGE as error:
            db.session.rollback()
            delay = min(5.0, 0.25 * 2 ** (tries - 1))
            reason = error_reason(error)
            if time.monotonic() + delay > deadline:
                log.error("%s: database still unavailable after %d tries in %ss, giving up: %s", what, tries, budget, reason)
                raise
            log.warning("%s: database unavailable (try %d), retrying in %.2f s: %s", what, tries, delay, reason)
            time.sleep(delay)


def claim_batch(owner: str, *, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Mark up to `limit` due rows as ours for one lease and commit, so no other sender takes them.

    Before claiming, in the same transaction: rows that used up MAIL_MAX_ATTEMPTS become 'failed' (so a message
    that kills every sender that tries it cannot block the others for ever), and rows whose sender died while
    handing them to the server get one more unknown outcome.
    """
    now = now or utcnow()
    limit = limit or _setting("SEND_BATCH", DEFAULT_BATCH)
    max_attempts = _setting("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    lease_until = now + timedelta(seconds=_setting("MAIL_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    give_up = (
        _table.update()
        .where(leases.claimable(_table, now), _table.c.attempts >= max_attempts)
        .values(
            status="failed", lease_until=None, lease_owner=None, handoff_at=None,
            last_error=func.coalesce(_table.c.last_error + " ", "") + f"(gave up after {max_attempts} attempts)",
        )
    )
    unknown = (
        _table.update()
        .where(_table.c.status == "sending", _table.c.lease_until < now, _table.c.handoff_at.is_not(None))
        .values(unknown_outcomes=_table.c.unknown_outcomes + 1, handoff_at=None)
        .returning(_table.c.id)
    )
    candidates = (
        select(_table.c.id)
        .where(leases.claimable(_table, now), _table.c.attempts < max_attempts)
        .order_by(_table.c.next_attempt_at, _table.c.id)
        .limit(limit)
    )
    claim = dict(status="sending", lease_until=lease_until, lease_owner=owner, attempts=_table.c.attempts + 1)
    connection = db.session.connection()
    try:
        # Unknown outcomes first: a message given up on below may still have reached the server.
        for row_id in connection.execute(unknown).scalars():
            log.warning("mail %s: its sender died while handing it to the server; it may arrive twice", row_id)
        connection.execute(give_up)
        ids = leases.claim(connection, _table, candidates, now, claim)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ids


def retry_delay(attempts: int) -> timedelta:
    return leases.backoff(attempts, _setting("MAIL_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS),
                          _setting("MAIL_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS))


# Built once: recording an outcome happens once per message and must stay cheap at thousands a minute.
_OURS = (_table.c.id == bindparam("row_id"), _table.c.status == "sending", _table.c.lease_owner == bindparam("owner"))
_DONE = dict(lease_until=None, lease_owner=None, handoff_at=None)
_FINISH = {
    "handoff": _table.update().where(*_OURS).values(handoff_at=bindparam("at")),
    "sent": _table.update().where(*_OURS).values(status="sent", sent_at=bindparam("at"), last_error=None, **_DONE),
    "retry": _table.update().where(*_OURS).values(
        status="pending", next_attempt_at=bindparam("at"), last_error=bindparam("error"), **_DONE
    ),
    "failed": _table.update().where(*_OURS).values(status="failed", last_error=bindparam("error"), **_DONE),
    # The connection broke while the server had the message: perhaps accepted, so the next copy may be a second.
    "retry_unknown": _table.update().where(*_OURS).values(
        status="pending", next_attempt_at=bindparam("at"), last_error=bindparam("error"),
        unknown_outcomes=_table.c.unknown_outcomes + 1, **_DONE
    ),
}


def _finish(outcome: str, row_id: int, owner: str, *, at: datetime | None = None, error: str | None = None) -> bool:
    """Record a step only while the row is still ours; commit at once (retrying through reconnects)."""
    params = {"row_id": row_id, "owner": owner}
    if outcome != "failed":
        params["at"] = at or utcnow()
    if outcome in ("retry", "retry_unknown", "failed"):
        params["error"] = (error or "")[:2000]

    def run():
        result = db.session.connection().execute(_FINISH[outcome], params)
        db.session.commit()
        return result.rowcount == 1

    return with_reconnect(f"recording mail {row_id} as {outcome}", run)


def release(ids: list[int], owner: str, *, reason: str) -> int:
    """Give claimed rows that were never handed to the server back to the queue now, uncounted."""
    if not ids:
        return 0

    def run():
        result = db.session.connection().execute(
            _table.update()
            .where(_table.c.id.in_(ids), _table.c.status == "sending", _table.c.lease_owner == owner,
                   _table.c.handoff_at.is_(None))
            .values(status="pending", next_attempt_at=utcnow(), lease_until=None, lease_owner=None,
                    attempts=case((_table.c.attempts > 0, _table.c.attempts - 1), else_=0))
        )
        db.session.commit()
        return result.rowcount

    released = with_reconnect(f"releasing {len(ids)} claimed mails", run)
    log.warning("released %d claimed mails back to the queue: %s", released, reason)
    return released


def _describe(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def deliver_batch(*, owner: str | None = None, now: datetime | None = None, limit: int | None = None, transport=None) -> DeliveryStats:
    """Claim a batch, send it, record each outcome. Returns what happened."""
    owner = owner or leases.new_owner()
    stats = DeliveryStats()
    ids = claim_batch(owner, now=now, limit=limit)
    stats.claimed = len(ids)
    if not ids:
        return stats
    try:
        # Plain rows, not ORM objects: each outcome is committed on its own and must not expire a whole batch.
        rows = db.session.execute(
            select(*_table.columns).where(_table.c.id.in_(ids), _table.c.lease_owner == owner).order_by(_table.c.id)
        ).all()
        # End the read transaction before talking to SMTP: on SQLite every transaction begins IMMEDIATE, so keeping
        # it open would hold the database write lock through the first send and stall every other sender.
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        stats.released = _release_quietly(ids, owner, error)
        raise
    own_transport = transport is None
    transport = transport or make_transport()
    try:
        _send_rows(rows, owner, now, transport, stats)
    finally:
        if own_transport:
            transport.close()
    return stats


def _release_quietly(ids, owner, error) -> int:
    try:
        return release(ids, owner, reason=_describe(error))
    except SQLAlchemyError:
        db.session.rollback()
        log.error("could not release %d claimed mails; they return to the queue when their lease ends", len(ids))
        return 0


def _send_rows(rows, owner: str, now: datetime | None, transport, stats: DeliveryStats) -> None:
    started = time.monotonic()
    lease_seconds = _setting("MAIL_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    max_attempts = _setting("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    unreachable = None
    for index, row in enumerate(rows):
        item = Outgoing(row.id, row.kind, row.recipient, row.created_at, row.attempts)
        try:
            if unreachable is not None:
                # Not tried: the server is down or hanging, and each try would wait out the timeout again.
                _finish("retry", row.id, owner, error=f"not tried: {unreachable}",
                        at=(now or utcnow()) + retry_delay(row.attempts))
                stats.retried += 1
                continue
            if time.monotonic() - started > lease_seconds * 0.8:
                # Our lease is nearly over; hand the rest back rather than let them wait for it to end.
                stats.released += release([r.id for r in rows[index:]], owner, reason="lease nearly over")
                return
            _send_one(item, row, owner, now, transport, stats, max_attempts)
        except SQLAlchemyError as error:
            # A database error (an outage that outlasted the retries, or any other): stop, and give back at once
            # what was not handed to the server yet rather than leave it in 'sending' for the whole lease.
            db.session.rollback()
            stats.released += _release_quietly([r.id for r in rows[index:]], owner, error)
            raise
        except TemporaryFailure as error:
            if error.connection:
                unreachable = str(error)


def _send_one(item: Outgoing, row, owner, now, transport, stats: DeliveryStats, max_attempts: int) -> None:
    """Send one row. Any failure of this message only (a bad header, a 5xx) marks this row, never the batch."""
    try:
        message = build_message(row)
    except Exception as error:  # noqa: BLE001 - a message that cannot be built fails alone, with the reason
        _finish("failed", item.id, owner, error=f"could not build the message: {_describe(error)}")
        stats.failed += 1
        stats.errors.append(_describe(error))
        log.warning("mail %s failed: could not build the message: %s", item.id, _describe(error))
        return
    if not _finish("handoff", item.id, owner):
        log.warning("mail %s is no longer ours (its lease ended); not sent", item.id)
        return
    try:
        transport.send(item, message)
    except PermanentFailure as error:
        _finish("failed", item.id, owner, error=str(error))
        stats.failed += 1
        stats.errors.append(str(error))
        log.warning("mail %s refused permanently by %s: %s", item.id, transport.describe(), error)
    except TemporaryFailure as error:
        if item.attempts >= max_attempts:
            _finish("failed", item.id, owner, error=f"{error} (after {item.attempts} attempts)")
            stats.failed += 1
        else:
            outcome = "retry_unknown" if error.unknown else "retry"
            _finish(outcome, item.id, owner, error=str(error), at=(now or utcnow()) + retry_delay(item.attempts))
            stats.retried += 1
        stats.errors.append(str(error))
        log.warning("mail %s not delivered by %s, will be retried: %s", item.id, transport.describe(), error)
        raise
    except SQLAlchemyError:
        raise
    except Exception as error:  # noqa: BLE001 - e.g. the message cannot be serialised: this row fails alone
        _finish("failed", item.id, owner, error=_describe(error))
        stats.failed += 1
        stats.errors.append(_describe(error))
        log.warning("mail %s failed: %s", item.id, _describe(error), exc_info=True)
    else:
        # The server has the message: from here on only recording it is left, retried through reconnects.
        if _finish("sent", item.id, owner, at=utcnow()):
            stats.sent += 1
        else:
            log.warning("mail %s was sent after its lease ended", item.id)


def deliver_all(*, owner: str | None = None, max_batches: int | None = None, now: datetime | None = None) -> DeliveryStats:
    """Deliver until nothing is due (used by --once, the tests and the benchmark)."""
    owner = owner or leases.new_owner()
    total = DeliveryStats()
    batches = 0
    while max_batches is None or batches < max_batches:
        stats = deliver_batch(owner=owner, now=now)
        batches += 1
        total.add(stats)
        if stats.claimed == 0:
            break
    return total


def run_forever(stop, *, interval: float = 5.0, echo=print) -> None:
    """The sender loop: deliver while there is work, otherwise wait; `stop` is a threading.Event."""
    echo = process_echo(echo)
    owner = leases.new_owner()
    echo(f"Sender {owner} started ({make_transport().describe()}).")
    while not stop.is_set():
        try:
            stats = deliver_batch(owner=owner)
        except Exception as error:  # noqa: BLE001 - a database hiccup must not end the sender; it retries next round
            log.warning("sender round failed: %s", _describe(error), exc_info=not isinstance(error, DATABASE_OUTAGE))
            db.session.rollback()
            stats = DeliveryStats()
            stop.wait(interval)
        finally:
            db.session.remove()
        if stats.claimed:
            echo(f"sent {stats.sent}, retry {stats.retried}, failed {stats.failed}")
        else:
            stop.wait(interval)
    echo("Sender stopped.")
