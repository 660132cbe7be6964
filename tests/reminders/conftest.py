"""Fixtures for the reminders domain: a real in-process SMTP server, a guard, and small data factories."""

import email
import email.policy
import smtplib
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from aiosmtpd.controller import Controller

from crm.core.time import utcnow
from crm.extensions import db

_serial = count(1)


# --- SMTP -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Stores every accepted message; `replies` scripts refusals, one per RCPT, before accepting again."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.replies: list[str] = []
        self.always: str | None = None
        self.rcpt_count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpt_count += 1
            reply = self.always or (self.replies.pop(0) if self.replies else None)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


@pytest.fixture
def smtp_allow():
    """(host, port) pairs the SMTP guard lets through; test servers add themselves."""
    return set()


@pytest.fixture(autouse=True)
def smtp_guard(monkeypatch, smtp_allow):
    """Fail the test if smtplib connects anywhere except a server this test started."""
    violations = []

    def wrap(original):
        def guarded(self, host, port, timeout):
            if (host, port) not in smtp_allow:
                violations.append((host, port))
                raise RuntimeError(f"test tried to open an SMTP connection to {host}:{port}")
            return original(self, host, port, timeout)

        return guarded

    monkeypatch.setattr(smtplib.SMTP, "_get_socket", wrap(smtplib.SMTP._get_socket))
    monkeypatch.setattr(smtplib.SMTP_SSL, "_get_socket", wrap(smtplib.SMTP_SSL._get_socket))
    yield violations
    assert not violations, f"SMTP connections outside the test server: {violations}"


@pytest.fixture
def smtp_server(smtp_allow):
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_allow.add(("127.0.0.1", port))
    handler.port = port
    try:
        yield handler
    finally:
        controller.stop()


def smtp_settings(port: int, timeout: float = 5) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": False, "SMTP_SSL": False, "SMTP_TIMEOUT": timeout}


@pytest.fixture
def use_smtp(app, smtp_server, monkeypatch):
    """Point the session app's sender at the in-process SMTP server."""
    for key, value in smtp_settings(smtp_server.port).items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "MAIL_RETRY_BASE_SECONDS", 60)
    return smtp_server


@pytest.fixture
def silent_server(smtp_allow):
    """Accepts TCP connections and never says a word, like a hung mail server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    smtp_allow.add(("127.0.0.1", port))
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            accepted.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


# --- data factories -------------------------------------------------------------------------------


def at(text: str) -> datetime:
    """An aware UTC datetime from 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def factory():
    return Factory()


class Factory:
    """Small helpers that add rows and flush; tests commit when a request or another connection needs them."""

    def __init__(self):
        self._chamber = None

    def user(self, role="officer", **fields):
        from crm.accounts.models import User

        n = next(_serial)
        values = dict(
            email=f"{role}{n}@example.org", name=f"{role.title()} {n}", role=role, active=True, language="es_PE",
            timezone="America/Lima", session_version=1, failed_logins=0, digest_hour=8, created_at=LONG_AGO,
        )
        values.update(fields)
        user = User(**values)
        db.session.add(user)
        db.session.flush()
        return user

    def task(self, assignee, due_at, **fields):
        from crm.outreach.models import Task

        task = Task(
            title=fields.pop("title", f"Tarea {next(_serial)}"), due_at=due_at, status=fields.pop("status", "open"),
            priority=fields.pop("priority", "normal"), assignee_id=assignee.id if assignee else None,
            created_at=fields.pop("created_at", LONG_AGO), **fields,
        )
        db.session.add(task)
        db.session.flush()
        return task

    def interaction(self, author, starts_at, *, staff=(), legislators=(), **fields):
        from crm.outreach.models import Interaction

        interaction = Interaction(
            kind=fields.pop("kind", "meeting"), starts_at=starts_at, author_id=author.id if author else None,
            created_at=fields.pop("created_at", LONG_AGO), place=fields.pop("place", "Congreso, oficina 301"), **fields,
        )
        interaction.staff = list(staff)
        interaction.legislators = list(legislators)
        db.session.add(interaction)
        db.session.flush()
        return interaction

    def chamber(self):
        from crm.legislature.models import Chamber, Legislature

        if self._chamber is None:
            legislature = Legislature(name="Congreso de la República", country="PE")
            db.session.add(legislature)
            db.session.flush()
            self._chamber = Chamber(legislature_id=legislature.id, name="Cámara de Diputados", seats=130)
            db.session.add(self._chamber)
            db.session.flush()
        return self._chamber

    def legislator(self, name=None, *, owner=None, sitting=True):
        from crm.legislature.models import Legislator, SeatMembership

        name = name or f"Legisladora {next(_serial)}"
        legislator = Legislator(full_name=name, sort_name=name, search_name=name.lower(), owner_user_id=owner.id if owner else None)
        db.session.add(legislator)
        db.session.flush()
        chamber = self.chamber()
        db.session.add(
            SeatMembership(
                legislator_id=legislator.id, chamber_id=chamber.id, start_date=date(2021, 7, 27),
                end_date=None if sitting else date(2021, 8, 1),
            )
        )
        db.session.flush()
        return legislator

    def campaign(self, name="Despenalización en casos de violación", going_cold_days=21):
        from crm.campaigns.models import Campaign, VoteStage

        campaign = Campaign(
            name=name, status="active", legislature_id=self.chamber().legislature_id, going_cold_days=going_cold_days,
            created_at=LONG_AGO,
        )
        db.session.add(campaign)
        db.session.flush()
        # The floor vote in the factory's chamber: its sitting members are the campaign's targets.
        db.session.add(VoteStage(campaign_id=campaign.id, position=1, name="Pleno", chamber_id=self.chamber().id))
        db.session.flush()
        return campaign

    def stance(self, campaign, legislator, level, assessed_at):
        from crm.campaigns.models import StanceAssessment

        row = StanceAssessment(
            campaign_id=campaign.id, legislator_id=legislator.id, level=level, commitment="inferred",
            confidence=50, assessed_at=assessed_at,
        )
        db.session.add(row)
        db.session.flush()
        return row


def outbox(kind=None, status=None):
    from sqlalchemy import select

    from crm.reminders.models import OutboundEmail

    statement = select(OutboundEmail).order_by(OutboundEmail.id)
    if kind:
        statement = statement.where(OutboundEmail.kind == kind)
    if status:
        statement = statement.where(OutboundEmail.status == status)
    return db.session.execute(statement).scalars().all()


def now_utc():
    return utcnow().replace(second=0, microsecond=0)


def minutes(n):
    return timedelta(minutes=n)
