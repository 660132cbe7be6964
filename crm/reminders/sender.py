"""Deliver the outbox: claim rows atomically, commit the claim, send, then record the outcome.

A sender that dies after claiming leaves rows in 'sending' with a lease; once the lease ends any sender may
claim them again, so mail is delayed, never lost. The Message-ID is fixed per row, so the rare resend
(a crash after the SMTP server accepted but before the 'sent' commit) carries the same id.
"""

import logging
import os
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, bindparam, or_, select

from crm.core.outbox import OutboundEmail
from crm.core.time import utcnow
from crm.extensions import db

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 300
DEFAULT_RETRY_BASE_SECONDS = 60
DEFAULT_RETRY_MAX_SECONDS = 6 * 3600
DEFAULT_MAX_ATTEMPTS = 10


_table = OutboundEmail.__table__
SMTP_POLICY = compat32.clone(linesep="\r\n")
# Quoted-printable keeps the .eml files and raw messages readable (base64 would hide every word).
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP


class PermanentFailure(Exception):
    """A 5xx reply: the message will never be accepted as it is."""


class TemporaryFailure(Exception):
    """A 4xx reply, a timeout or a broken connection: try again later."""

    def __init__(self, message: str, *, connection: bool = False):
        super().__init__(message)
        # True when the server could not be reached or dropped us: the rest of the batch would fail the same way.
        self.connection = connection


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
    errors: list[str] = field(default_factory=list)


def new_owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _setting(name: str, default):
    return current_app.config.get(name, default)


def _claimable(now: datetime):
    return or_(
        and_(_table.c.status == "pending", _table.c.next_attempt_at <= now),
        and_(_table.c.status == "sending", _table.c.lease_until < now),
    )


def claim_batch(owner: str, *, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Mark up to `limit` due rows as ours for one lease and commit, so no other sender takes them."""
    now = now or utcnow()
    limit = limit or _setting("SEND_BATCH", 50)
    lease_until = now + timedelta(seconds=_setting("MAIL_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    candidates = select(_table.c.id).where(_claimable(now)).order_by(_table.c.next_attempt_at, _table.c.id).limit(limit)
    claim = dict(status="sending", lease_until=lease_until, lease_owner=owner, attempts=_table.c.attempts + 1)
    connection = db.session.connection()
    try:
        if connection.dialect.name == "postgresql":
            # Rows another sender has locked are skipped, not waited for; the UPDATE runs under our row locks.
            ids = list(connection.execute(candidates.with_for_update(skip_locked=True)).scalars())
            if ids:
                connection.execute(_table.update().where(_table.c.id.in_(ids)).values(**claim))
        else:
            # SQLite: one conditional UPDATE. Writers are serialised (BEGIN IMMEDIATE), and the WHERE repeats the
            # claimable test, so a row another sender claimed a moment ago no longer matches.
            ids = list(
                connection.execute(
                    _table.update().where(_table.c.id.in_(candidates.scalar_subquery()), _claimable(now))
                    .values(**claim).returning(_table.c.id)
                ).scalars()
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ids


def build_message(row: OutboundEmail) -> Message:
    """A multipart/alternative message (text, then HTML). The compat32 MIME classes are used because they are
    an order of magnitude faster than EmailMessage's header registry, which matters at thousands of messages."""
    text = MIMEText(row.body_text, "plain", UTF8_QP)
    if row.body_html:
        message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(MIMEText(row.body_html, "html", UTF8_QP))
    else:
        message = text
    sender_name, sender_address = parseaddr(current_app.config["MAIL_FROM"])
    message["From"] = formataddr((sender_name, sender_address), charset="utf-8")
    message["To"] = row.recipient
    message["Subject"] = Header(row.subject, "utf-8").encode() if not row.subject.isascii() else row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id or make_msgid()
    message["X-Cabildeo-Kind"] = row.kind
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        message["Auto-Submitted"] = "auto-generated"
    return message


class FileTransport:
    """No SMTP server configured: write each message as an .eml file (the file name is fixed per row)."""

    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, row: Outgoing, message: Message) -> None:
        stamp = row.created_at.strftime("%Y%m%dT%H%M%SZ")
        target = self.directory / f"{stamp}-{row.id:08d}-{row.kind}.eml"
        partial = target.with_suffix(".eml.part")
        partial.write_bytes(message.as_bytes())
        partial.replace(target)

    def close(self) -> None:
        pass


class SMTPTransport:
    """One SMTP connection per batch, opened lazily and reopened after a broken connection."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        timeout = cfg.get("SMTP_TIMEOUT", 20)
        if cfg.get("SMTP_SSL"):
            connection = smtplib.SMTP_SSL(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
        else:
            connection = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
            connection.ehlo()
            if cfg.get("SMTP_STARTTLS"):
                if connection.has_extn("starttls"):
                    connection.starttls()
                    connection.ehlo()
                elif cfg.get("SMTP_USERNAME"):
                    connection.close()
                    raise TemporaryFailure(
                        "the server does not offer STARTTLS; refusing to send the password in clear", connection=True
                    )
        if cfg.get("SMTP_USERNAME"):
            connection.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD", ""))
        return connection

    def send(self, row: Outgoing, message: Message) -> None:
        try:
            if self.connection is None:
                self.connection = self._connect()
            envelope_from = parseaddr(current_app.config["MAIL_FROM"])[1]
            # smtplib leaves bytes as they are, so the CRLF line endings SMTP requires are produced here.
            refused = self.connection.sendmail(envelope_from, [row.recipient], message.as_bytes(policy=SMTP_POLICY))
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            self._raise_for(code, reply)
        except smtplib.SMTPAuthenticationError as error:
            # A wrong password is the operator's problem, not the message's: keep the mail and retry.
            self.close()
            raise TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}", connection=True) from error
        except smtplib.SMTPConnectError as error:
            # Refused at the greeting: the server, not this message, is the problem.
            self.close()
            raise TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}", connection=True) from error
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                self._reset()
            else:
                self.close()
            self._raise_for(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise TemporaryFailure(text, connection=True) from error
        if refused:
            code, reply = next(iter(refused.values()))
            self._raise_for(code, reply)

    @staticmethod
    def _raise_for(code: int, reply) -> None:
        text = f"{code} {_text(reply)}"
        if 500 <= code < 600:
            raise PermanentFailure(text)
        # 421: the server is closing the connection (shutting down, overloaded).
        raise TemporaryFailure(text, connection=code == 421)

    def _reset(self) -> None:
        # After a refused message the connection is still usable; RSET clears the half-built transaction.
        try:
            if self.connection is not None:
                self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                try:
                    self.connection.close()
                except OSError:
                    pass
            self.connection = None


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def make_transport():
    config = current_app.config
    if config.get("SMTP_HOST"):
        return SMTPTransport(config)
    directory = config.get("MAIL_FILE_DIR")
    if not directory:
        raise RuntimeError("Neither SMTP_HOST nor MAIL_FILE_DIR is configured; mail cannot be delivered.")
    return FileTransport(directory)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped."""
    base = _setting("MAIL_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS)
    cap = _setting("MAIL_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


# Built once: recording an outcome happens once per message and must stay cheap at thousands a minute.
_OURS = (_table.c.id == bindparam("row_id"), _table.c.status == "sending", _table.c.lease_owner == bindparam("owner"))
_FINISH = {
    "sent": _table.update().where(*_OURS).values(
        status="sent", sent_at=bindparam("at"), last_error=None, lease_until=None, lease_owner=None
    ),
    "retry": _table.update().where(*_OURS).values(
        status="pending", next_attempt_at=bindparam("at"), last_error=bindparam("error"), lease_until=None, lease_owner=None
    ),
    "failed": _table.update().where(*_OURS).values(
        status="failed", last_error=bindparam("error"), lease_until=None, lease_owner=None
    ),
}


def _finish(outcome: str, row_id: int, owner: str, *, at: datetime | None = None, error: str | None = None) -> bool:
    """Record the outcome only while the row is still ours; commit at once so a crash cannot resend it."""
    params = {"row_id": row_id, "owner": owner}
    if outcome != "failed":
        params["at"] = at
    if outcome != "sent":
        params["error"] = (error or "")[:2000]
    result = db.session.connection().execute(_FINISH[outcome], params)
    db.session.commit()
    return result.rowcount == 1


def deliver_batch(*, owner: str | None = None, now: datetime | None = None, limit: int | None = None, transport=None) -> DeliveryStats:
    """Claim a batch, send it, record each outcome. Returns what happened."""
    owner = owner or new_owner()
    stats = DeliveryStats()
    ids = claim_batch(owner, now=now, limit=limit)
    stats.claimed = len(ids)
    if not ids:
        return stats
    started = time.monotonic()
    lease_seconds = _setting("MAIL_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    # Plain rows, not ORM objects: each outcome is committed on its own and must not expire a whole batch.
    rows = db.session.execute(
        select(*OutboundEmail.__table__.columns)
        .where(OutboundEmail.id.in_(ids), OutboundEmail.lease_owner == owner)
        .order_by(OutboundEmail.id)
    ).all()
    jobs = [(Outgoing(row.id, row.kind, row.recipient, row.created_at, row.attempts), build_message(row)) for row in rows]
    # End the read transaction before talking to SMTP: on SQLite every transaction begins IMMEDIATE, so keeping it
    # open would hold the database write lock through the first send and stall every other sender.
    db.session.commit()
    own_transport = transport is None
    transport = transport or make_transport()
    try:
        unreachable = None
        for item, message in jobs:
            row_id, attempts = item.id, item.attempts
            if unreachable is not None:
                # Not tried: the server is down or hanging, and each try would wait out the timeout again.
                _finish("retry", row_id, owner, error=f"not tried: {unreachable}", at=(now or utcnow()) + retry_delay(attempts))
                stats.retried += 1
                continue
            if time.monotonic() - started > lease_seconds * 0.8:
                # Our lease is nearly over; leave the rest for whoever claims them next.
                break
            try:
                transport.send(item, message)
            except PermanentFailure as error:
                _finish("failed", row_id, owner, error=str(error))
                stats.failed += 1
                stats.errors.append(str(error))
                log.warning("mail %s refused permanently: %s", row_id, error)
            except TemporaryFailure as error:
                max_attempts = _setting("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
                if attempts >= max_attempts:
                    _finish("failed", row_id, owner, error=f"{error} (after {attempts} attempts)")
                    stats.failed += 1
                else:
                    _finish("retry", row_id, owner, error=str(error), at=(now or utcnow()) + retry_delay(attempts))
                    stats.retried += 1
                stats.errors.append(str(error))
                log.info("mail %s will be retried: %s", row_id, error)
                if error.connection:
                    unreachable = str(error)
            else:
                if _finish("sent", row_id, owner, at=utcnow()):
                    stats.sent += 1
                else:
                    log.warning("mail %s was sent after its lease ended", row_id)
    finally:
        if own_transport:
            transport.close()
    return stats


def deliver_all(*, owner: str | None = None, max_batches: int | None = None, now: datetime | None = None) -> DeliveryStats:
    """Deliver until nothing is due (used by --once, the tests and the benchmark)."""
    owner = owner or new_owner()
    total = DeliveryStats()
    batches = 0
    while max_batches is None or batches < max_batches:
        stats = deliver_batch(owner=owner, now=now)
        batches += 1
        total.claimed += stats.claimed
        total.sent += stats.sent
        total.retried += stats.retried
        total.failed += stats.failed
        total.errors.extend(stats.errors)
        if stats.claimed == 0:
            break
    return total


def run_forever(stop, *, interval: float = 5.0, echo=print) -> None:
    """The sender loop: deliver while there is work, otherwise wait; `stop` is a threading.Event."""
    owner = new_owner()
    echo(f"Sender {owner} started ({'SMTP ' + current_app.config['SMTP_HOST'] if current_app.config.get('SMTP_HOST') else 'files in ' + str(current_app.config.get('MAIL_FILE_DIR'))}).")
    while not stop.is_set():
        try:
            stats = deliver_batch(owner=owner)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the sender; it retries next round
            log.exception("sender round failed")
            db.session.rollback()
            stats = DeliveryStats()
        finally:
            db.session.remove()
        if stats.claimed:
            echo(f"sent {stats.sent}, retry {stats.retried}, failed {stats.failed}")
        else:
            stop.wait(interval)
    echo("Sender stopped.")
