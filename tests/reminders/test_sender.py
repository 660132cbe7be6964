"""The sender against a real SMTP server (aiosmtpd, in-process): exactly once, retries, final failures, timeouts."""

import re
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.core.mail import enqueue_email
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import sender
from tests.reminders.conftest import outbox, smtp_settings


def _queue(n=1, prefix="test"):
    for i in range(n):
        enqueue_email(
            key=f"{prefix}:{i}", kind="due_soon", recipient=f"persona{i}@example.org", subject=f"Asunto {i}",
            text=f"Texto {i}", html=f"<p>Texto {i}</p>",
        )
    db.session.commit()


def test_same_reminder_enqueued_twice_leaves_one_row():
    assert enqueue_email(key="due_soon:7:x", kind="due_soon", recipient="a@example.org", subject="s", text="t") is True
    assert enqueue_email(key="due_soon:7:x", kind="due_soon", recipient="a@example.org", subject="s2", text="t2") is False
    [row] = outbox()
    assert row.subject == "s"


def test_delivers_text_and_html_with_deterministic_message_id(use_smtp):
    enqueue_email(
        key="digest:1:2026-05-04", kind="digest", recipient="ana@example.org", subject="Resumen del día: reunión",
        text="Hola, señora " + "á" * 3000, html="<p>Hola</p>", unsubscribe_url="http://127.0.0.1:5000/unsubscribe/abc",
    )
    db.session.commit()
    stats = sender.deliver_all()
    assert stats.sent == 1
    [message] = use_smtp.messages
    [row] = outbox()
    assert row.status == "sent" and row.sent_at is not None and row.lease_owner is None
    assert message["Message-ID"] == row.message_id == sender.build_message(row)["Message-ID"]
    assert message["To"] == "ana@example.org" and message["Subject"] == "Resumen del día: reunión"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:5000/unsubscribe/abc>"
    assert message.get_body(("plain",)).get_content().strip() == "Hola, señora " + "á" * 3000
    assert message.get_body(("html",)).get_content().strip() == "<p>Hola</p>"
    assert sender.deliver_all().claimed == 0
    assert len(use_smtp.messages) == 1


def test_without_smtp_host_mail_is_written_as_eml_files(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    _queue(3)
    assert sender.deliver_all().sent == 3
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3
    assert "Subject: Asunto 0" in files[0].read_text()
    assert {r.status for r in outbox()} == {"sent"}


def test_sender_killed_between_claim_and_send_sends_once_after_lease(use_smtp):
    _queue(1)
    claimed = sender.claim_batch("crashed-sender")
    assert len(claimed) == 1
    # The crashed sender never sends. Until its lease ends, nobody else touches the row.
    assert sender.deliver_all().claimed == 0
    later = utcnow() + timedelta(seconds=sender.DEFAULT_LEASE_SECONDS + 1)
    assert sender.deliver_all(now=later).sent == 1
    assert sender.deliver_all(now=later + timedelta(minutes=5)).claimed == 0
    assert len(use_smtp.messages) == 1
    [row] = outbox()
    assert row.status == "sent" and row.attempts == 2


def test_451_is_retried_with_exponential_backoff(use_smtp):
    use_smtp.replies = ["451 4.3.0 Mailbox busy, try later", "451 4.3.0 Mailbox busy, try later"]
    _queue(1)
    start = utcnow()
    first = sender.deliver_all(now=start)
    [row] = outbox()
    assert first.retried == 1 and row.status == "pending" and "451" in row.last_error
    first_delay = row.next_attempt_at - start
    assert timedelta(seconds=59) < first_delay <= timedelta(seconds=61)
    # Not due yet: nothing is claimed.
    assert sender.deliver_all(now=start + timedelta(seconds=30)).claimed == 0
    second_try = start + timedelta(seconds=61)
    sender.deliver_all(now=second_try)
    db.session.refresh(row)
    assert row.status == "pending" and row.next_attempt_at - second_try == 2 * first_delay
    assert sender.deliver_all(now=second_try + timedelta(seconds=121)).sent == 1
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 3
    assert len(use_smtp.messages) == 1


def test_550_is_final_and_shown_to_admins(use_smtp, make_user, login_as):
    use_smtp.always = "550 5.1.1 No such user here"
    _queue(1)
    stats = sender.deliver_all()
    assert stats.failed == 1
    [row] = outbox()
    assert row.status == "failed" and "550" in row.last_error
    rcpts = use_smtp.rcpt_count
    assert sender.deliver_all(now=utcnow() + timedelta(days=2)).claimed == 0
    assert use_smtp.rcpt_count == rcpts and use_smtp.messages == []

    page = login_as(make_user("admin")).get("/admin/mail")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "persona0@example.org" in html and "550 5.1.1 No such user here" in html


def test_a_server_that_never_answers_is_timed_out(app, monkeypatch, silent_server):
    for key, value in smtp_settings(silent_server, timeout=0.5).items():
        monkeypatch.setitem(app.config, key, value)
    _queue(3)
    started = time.monotonic()
    stats = sender.deliver_all()
    # One timeout, not three: once the server is known to hang, the rest of the batch is put back untried.
    assert time.monotonic() - started < 5
    first, *others = outbox()
    assert stats.retried == 3 and {r.status for r in outbox()} == {"pending"}
    assert "timed out" in first.last_error.lower()
    assert all(r.last_error.startswith("not tried") for r in others)


def test_connection_refused_is_retried(app, monkeypatch, smtp_allow):
    from tests.reminders.conftest import free_port

    port = free_port()  # nothing listens there
    smtp_allow.add(("127.0.0.1", port))
    for key, value in smtp_settings(port).items():
        monkeypatch.setitem(app.config, key, value)
    _queue(1)
    assert sender.deliver_all().retried == 1
    [row] = outbox()
    assert row.status == "pending" and row.attempts == 1


def test_admin_retry_and_discard_are_audited(use_smtp, make_user, login_as):
    use_smtp.always = "550 5.1.1 No such user here"
    _queue(2)
    sender.deliver_all()
    use_smtp.always = None
    admin = make_user("admin")
    client = login_as(admin)
    first, second = outbox()

    response = client.post(f"/admin/mail/{first.id}/retry", data={"status": "failed"})
    assert response.status_code == 302
    response = client.post(f"/admin/mail/{second.id}/discard")
    assert response.status_code == 302
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "pending" and second.status == "discarded"
    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.object_id).where(AuditEntry.action.like("mail.%"))
    ).all()
    assert sorted(actions) == [("mail.discard", admin.id, str(second.id)), ("mail.retry", admin.id, str(first.id))]

    assert sender.deliver_all().sent == 1
    assert [m["To"] for m in use_smtp.messages] == [first.recipient]
    # A sent message cannot be queued again by mistake.
    response = client.post(f"/admin/mail/{first.id}/retry", follow_redirects=True)
    assert "no se puede reintentar" in response.get_data(as_text=True)
    assert client.post("/admin/mail/999999/retry").status_code == 404


def test_outbox_page_is_for_admins_only(make_user, login_as, client):
    assert client.get("/admin/mail").status_code == 302
    for role in ("officer", "director", "viewer"):
        assert login_as(make_user(role)).get("/admin/mail").status_code == 403
    assert login_as(make_user("officer")).post("/admin/mail/1/retry").status_code == 403


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+", text).group(0)


def test_invitation_is_delivered_and_its_link_works(use_smtp, make_user, login_as, app):
    from crm.accounts.operations import invite_user

    admin = make_user("admin")
    client = login_as(admin)
    # What the invite page does (called directly: that page's form trips a WTForms deprecation warning).
    with app.test_request_context():
        invite_user(email="nueva@example.org", name="Nueva Oficial", role="officer", actor=admin)
    db.session.commit()
    assert sender.deliver_all().sent == 1
    [message] = use_smtp.messages
    assert message["To"] == "nueva@example.org"
    link = _link(message)
    path = link.split(app.config["BASE_URL"].rstrip("/"), 1)[1]
    client.post("/logout")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": "otra frase bastante larga", "confirm": "otra frase bastante larga"})
    assert response.status_code == 302
    response = client.post("/login", data={"email": "nueva@example.org", "password": "otra frase bastante larga"})
    assert response.status_code == 302
    # The link works once.
    client.post("/logout")
    assert client.get(path).status_code == 400


def test_password_reset_mail_is_delivered_and_its_link_works(use_smtp, make_user, client, app):
    user = make_user("officer")
    client.post("/password/forgot", data={"email": user.email})
    assert sender.deliver_all().sent == 1
    [message] = use_smtp.messages
    path = _link(message).split(app.config["BASE_URL"].rstrip("/"), 1)[1]
    assert "/password/reset/" in path
    assert client.get(path).status_code == 200
    assert client.get(path[:-4] + "AAAA").status_code == 400


def test_sender_cli_once(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    _queue(2)
    result = app.test_cli_runner().invoke(args=["crm", "sender", "--once"])
    assert result.exit_code == 0 and "sent 2" in result.output
    assert len(list(Path(tmp_path).glob("*.eml"))) == 2


def test_password_reset_link_expires(use_smtp, make_user, client, app, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    user = make_user("officer")
    client.post("/password/forgot", data={"email": user.email})
    sender.deliver_all()
    path = _link(use_smtp.messages[0]).split(app.config["BASE_URL"].rstrip("/"), 1)[1]
    # Three hours later (reset links last two).
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 3 * 3600)
    assert client.get(path).status_code == 400


def test_a_last_attempt_that_died_mid_handoff_is_failed_but_flagged_as_possibly_delivered(app):
    _queue(1)
    [row] = outbox()
    now = utcnow()
    row.status, row.attempts, row.lease_until, row.handoff_at = "sending", sender.DEFAULT_MAX_ATTEMPTS, now, now
    db.session.commit()
    assert sender.claim_batch("next-sender", now=now + timedelta(seconds=1)) == []
    db.session.expire_all()
    [row] = outbox()
    assert row.status == "failed" and row.unknown_outcomes == 1  # admins see it may have arrived
