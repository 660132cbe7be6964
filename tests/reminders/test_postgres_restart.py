"""PostgreSQL restarts under a running sender and a running scheduler (a server of the test's own)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import sender
from crm.reminders.models import OutboundEmail
from tests.conftest import make_app
from tests.ops import pg_server
from tests.reminders.conftest import free_port, smtp_settings
from tests.reminders.faults import SlowHandler, start_server
from tests.reminders.test_delivery_faults import _fill

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                       reason="runs in the PostgreSQL pass of the suite (scripts/test.sh)"),
]


@pytest.fixture
def own_postgres():
    server = pg_server.PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_app(own_postgres, smtp_allow, isolated_app):
    # Asking for isolated_app switches off the suite's shared rolled-back transaction (tests/conftest.py), so
    # db.session really talks to this app's own server.
    handler = SlowHandler(delay=0.1)
    handler.port = free_port()
    controller = start_server(handler, handler.port)
    smtp_allow.add(("127.0.0.1", handler.port))
    app = make_app(own_postgres.url, MAIL_DB_RETRY_SECONDS=60, **smtp_settings(handler.port))
    with app.app_context():
        db.create_all()
    app.smtp = handler
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    controller.stop()


def test_a_postgres_restart_during_a_batch_sends_nothing_twice(own_app, own_postgres):
    with own_app.app_context():
        _fill(40)
    result, errors = {}, []

    def run():
        try:
            with own_app.app_context():
                result["stats"] = sender.deliver_all(owner="sender-under-restart")
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    while len(own_app.smtp.messages) < 5:
        time.sleep(0.01)
    own_postgres.restart()
    thread.join(timeout=180)
    assert not thread.is_alive() and not errors
    copies = own_app.smtp.copies()
    assert len(copies) == 40 and set(copies.values()) == {1}
    with own_app.app_context():
        statuses = dict(db.session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)).all())
        flagged = db.session.execute(select(func.count()).where(OutboundEmail.unknown_outcomes > 0)).scalar_one()
    assert statuses == {"sent": 40} and flagged == 0


def _due_soon_rows(app) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count()).where(OutboundEmail.kind == "due_soon")).scalar_one()
        db.session.remove()
        return count


def _add_task(app, title):
    from crm.accounts.models import User
    from crm.outreach.models import Task

    now = utcnow()
    with app.app_context():
        user = db.session.execute(select(User)).scalars().first()
        if user is None:
            user = User(email="o@example.org", name="O", role="officer", active=True, language="es_PE",
                        timezone="America/Lima", session_version=1, failed_logins=0, digest_hour=8, created_at=now)
            db.session.add(user)
            db.session.flush()
        db.session.add(Task(title=title, due_at=now + timedelta(hours=2), status="open", priority="normal",
                            assignee_id=user.id, created_at=now))
        db.session.commit()
        db.session.remove()


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_the_scheduler_keeps_running_through_a_postgres_restart(own_app, own_postgres, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "SMTP_"))}
    env.update(DATABASE_URL=own_postgres.url, CRM_ENV="development", CRM_INSTANCE_DIR=str(tmp_path), FLASK_APP="wsgi",
               CRM_SCHEDULER_TICK_SECONDS="2", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "flask", "crm", "scheduler"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _add_task(own_app, "Antes del reinicio")
        _wait(lambda: _due_soon_rows(own_app) == 1, 60, "the scheduler enqueued nothing before the restart")
        # Down for 4 s: heartbeats (every second here) and jobs meet refused connections, not only broken ones.
        own_postgres.restart(down_seconds=4)
        _add_task(own_app, "Después del reinicio")
        _wait(lambda: _due_soon_rows(own_app) == 2, 60, "the scheduler enqueued nothing after the restart")
        assert process.poll() is None, "the scheduler exited"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
        print(output)
    assert process.returncode == 0, output
    assert "took the lock again" in output
