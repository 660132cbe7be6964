"""Faults during delivery, against a real SMTP server (aiosmtpd, 100 ms per message) and a real database.

- A sender killed with SIGKILL while the server holds its message: at most one copy, and that row is listed.
- A database error in the middle of a batch: the rest of the batch goes back to the queue at once.
- A poisoned header value cannot break a batch; a message that keeps failing is given up after the limit.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from crm.core.mail import enqueue_many, outbox_row
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import sender
from crm.reminders.models import OutboundEmail
from tests.reminders.conftest import free_port, smtp_settings
from tests.reminders.faults import SlowHandler, flagged_message_ids, start_server

ROOT = Path(__file__).resolve().parents[2]


def _fill(n, prefix="fault"):
    enqueue_many([
        outbox_row(key=f"{prefix}:{i}", kind="due_soon", recipient=f"p{i}@example.org", subject=f"Tarea {i}",
                   text=f"Texto {i}", html=f"<p>{i}</p>")
        for i in range(n)
    ])
    db.session.commit()


@pytest.fixture
def slow_smtp(smtp_allow):
    handler = SlowHandler(delay=0.1)
    handler.port = free_port()
    controller = start_server(handler, handler.port)
    smtp_allow.add(("127.0.0.1", handler.port))
    try:
        yield handler
    finally:
        controller.stop()


def _sender_env(url, port, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "SMTP_"))}
    env.update(DATABASE_URL=url, CRM_ENV="development", CRM_INSTANCE_DIR=str(tmp_path / "instance"), FLASK_APP="wsgi",
               SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false", PYTHONUNBUFFERED="1")
    return env


@pytest.mark.slow
def test_a_sender_killed_during_data_leaves_at_most_one_listed_copy(isolated_app, slow_smtp, tmp_path, monkeypatch):
    with isolated_app.app_context():
        _fill(30)
    url = isolated_app.config["SQLALCHEMY_DATABASE_URI"]
    process = subprocess.Popen([sys.executable, "-m", "flask", "crm", "sender", "--interval", "0.2"], cwd=ROOT,
                               env=_sender_env(url, slow_smtp.port, tmp_path), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (len(slow_smtp.messages) >= 3 and slow_smtp.in_data.is_set()):
            assert time.monotonic() < deadline, "the sender never reached DATA"
            time.sleep(0.005)
        # The server holds the message and has not answered yet: the sender dies without learning the outcome.
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    for key, value in smtp_settings(slow_smtp.port).items():
        monkeypatch.setitem(isolated_app.config, key, value)
    with isolated_app.app_context():
        later = utcnow() + timedelta(seconds=isolated_app.config["MAIL_LEASE_SECONDS"] + 1)
        sender.deliver_all(now=later)
        statuses = set(db.session.execute(select(OutboundEmail.status)).scalars())
        flagged = flagged_message_ids()
        db.session.remove()
    copies = slow_smtp.copies()
    assert statuses == {"sent"}
    assert len(copies) == 30
    duplicated = {message_id for message_id, n in copies.items() if n > 1}
    assert max(copies.values()) <= 2 and len(duplicated) <= 1
    # The one message whose outcome was unknown is listed as possibly duplicated, and nothing else is.
    assert len(flagged) == 1 and duplicated <= flagged


def _inject_failure_on_sent(row_id):
    """A real database error (from a trigger) when the sender records `row_id` as sent."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(
            "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            " LANGUAGE plpgsql"
        ))
        db.session.execute(text(
            "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbound_emails FOR EACH ROW"
            f" WHEN (NEW.status = 'sent' AND NEW.id = {int(row_id)}) EXECUTE FUNCTION refuse_sent()"
        ))
    else:
        db.session.execute(text(
            "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbound_emails"
            f" WHEN NEW.status = 'sent' AND NEW.id = {int(row_id)} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        ))
    db.session.commit()


def test_a_database_error_mid_batch_releases_the_rest_of_the_batch(isolated_app, slow_smtp, monkeypatch):
    for key, value in smtp_settings(slow_smtp.port).items():
        monkeypatch.setitem(isolated_app.config, key, value)
    with isolated_app.app_context():
        _fill(10)
        ids = db.session.execute(select(OutboundEmail.id).order_by(OutboundEmail.id)).scalars().all()
        _inject_failure_on_sent(ids[3])
        with pytest.raises(Exception, match="injected failure"):
            sender.deliver_batch(owner="sender-a")
        rows = {r.id: r for r in db.session.execute(select(OutboundEmail)).scalars()}
        assert [rows[i].status for i in ids[:3]] == ["sent"] * 3
        # The message the server accepted but that could not be recorded keeps its claim and its in-flight mark...
        assert rows[ids[3]].status == "sending" and rows[ids[3]].handoff_at is not None
        # ...and the six never tried are back in the queue now, their attempt not counted.
        assert {(rows[i].status, rows[i].attempts, rows[i].lease_owner) for i in ids[4:]} == {("pending", 0, None)}
        db.session.remove()


def test_a_poisoned_header_cannot_block_the_batch(use_smtp):
    # A row written before titles were cleaned on input, with a header injection in its subject.
    enqueue_many([outbox_row(key="reset:1", kind="reset", recipient="ana@example.org", subject="Restablecer", text="t")])
    db.session.flush()
    db.session.execute(
        OutboundEmail.__table__.insert().values(
            outbox_row(key="due_soon:666", kind="due_soon", recipient="ana@example.org", subject="x", text="t")
            | {"subject": "Llamar\r\nReply-To: evil@example.org", "idempotency_key": "due_soon:667"}
        )
    )
    enqueue_many([outbox_row(key="due_soon:668", kind="due_soon", recipient="ana@example.org",
                             subject="Línea uno\nBcc: evil@example.org", text="t")])
    db.session.commit()
    stats = sender.deliver_all()
    assert stats.sent == 3 and stats.failed == 0
    assert len(use_smtp.messages) == 3
    for message in use_smtp.messages:
        assert message["Reply-To"] is None and message["Bcc"] is None
    subjects = sorted(str(m["Subject"]) for m in use_smtp.messages)
    assert subjects == ["Llamar Reply-To: evil@example.org", "Línea uno Bcc: evil@example.org", "Restablecer"]


def test_a_message_that_cannot_be_built_fails_alone_with_its_reason(use_smtp, monkeypatch):
    _fill(3, prefix="build")
    real = sender.build_message

    def broken(row):
        if row.idempotency_key == "build:1":
            raise ValueError("bad header")
        return real(row)

    monkeypatch.setattr(sender, "build_message", broken)
    stats = sender.deliver_all()
    assert (stats.sent, stats.failed) == (2, 1)
    failed = db.session.execute(select(OutboundEmail).where(OutboundEmail.status == "failed")).scalar_one()
    assert failed.idempotency_key == "build:1" and "bad header" in failed.last_error


def test_the_attempt_limit_is_enforced_when_claiming(use_smtp, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    _fill(2, prefix="limit")
    # A message whose sender died on it three times (each claim counts an attempt; nothing recorded an outcome).
    db.session.execute(
        OutboundEmail.__table__.update().where(OutboundEmail.idempotency_key == "limit:0").values(attempts=3)
    )
    db.session.commit()
    stats = sender.deliver_all()
    assert stats.sent == 1
    row = db.session.execute(select(OutboundEmail).where(OutboundEmail.idempotency_key == "limit:0")).scalar_one()
    assert row.status == "failed" and "gave up after 3 attempts" in row.last_error
    assert len(use_smtp.messages) == 1


def test_smtp_and_dns_failures_are_warnings_naming_the_host(app, monkeypatch, smtp_allow, caplog):
    port = free_port()
    smtp_allow.add(("127.0.0.1", port))
    for key, value in smtp_settings(port, timeout=2).items():
        monkeypatch.setitem(app.config, key, value)
    _fill(1, prefix="refused")
    with caplog.at_level("WARNING", logger="crm.reminders"):
        sender.deliver_all()
    [record] = [r for r in caplog.records if "will be retried" in r.getMessage()]
    assert record.levelname == "WARNING" and f"127.0.0.1:{port}" in record.getMessage()


def test_possibly_duplicated_rows_are_counted_and_listed_for_admins(use_smtp, make_user, login_as):
    _fill(2, prefix="dup")
    # A sender claimed a row and handed it to the server, then died before recording the outcome.
    [row_id] = sender.claim_batch("dead-sender", limit=1)
    sender._finish("handoff", row_id, "dead-sender")
    later = utcnow() + timedelta(seconds=sender.DEFAULT_LEASE_SECONDS + 1)
    assert sender.deliver_all(now=later).sent == 2
    client = login_as(make_user("admin"))
    page = client.get("/admin/mail?status=duplicated").get_data(as_text=True)
    assert "Posibles duplicados" in page and "Posible duplicado" in page
    assert page.count('class="list-group-item"') == 1 and f'id="mail-{row_id}"' in page


def test_task_titles_lose_their_line_breaks_on_input(factory):
    from crm.outreach import operations

    officer = factory.user()
    task = operations.create_task(actor=officer, title="Llamar\r\nReply-To: evil@example.org", assignee_id=officer.id,
                                  due_at=utcnow() + timedelta(hours=2))
    assert task.title == "Llamar Reply-To: evil@example.org"
    operations.update_task(task, actor=officer, title="Uno\nDos")
    assert task.title == "Uno Dos"


def test_a_refused_recipient_does_not_break_the_next_message_on_the_same_connection(use_smtp):
    use_smtp.replies = ["550 5.1.1 No such user"]
    _fill(3, prefix="bounce")
    stats = sender.deliver_all()
    assert (stats.sent, stats.failed) == (2, 1)
    assert len(use_smtp.messages) == 2
