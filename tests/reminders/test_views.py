"""The admin outbox page and the reminder CLI."""

from crm.core.mail import enqueue_email
from crm.extensions import db
from crm.reminders import jobs
from tests.reminders.conftest import at, outbox


def _queue(n, status="pending", prefix="k"):
    for i in range(n):
        enqueue_email(key=f"{prefix}:{i}", kind="digest", recipient=f"p{i}@example.org", subject=f"Resumen {i}",
                      text="t", status=status, note="No enviado: el programador no estaba en marcha ese día." if status == "missed" else None)
    db.session.commit()


def test_outbox_page_costs_constant_statements(make_user, login_as, count_queries):
    client = login_as(make_user("admin"))
    _queue(2)
    client.get("/admin/mail")
    with count_queries() as few:
        assert client.get("/admin/mail").status_code == 200
    _queue(40, prefix="more")
    with count_queries() as many:
        assert client.get("/admin/mail").status_code == 200
    assert len(few) == len(many)


def test_missed_reminders_are_listed_for_admins(factory, make_user, login_as):
    officer = factory.user(created_at=at("2026-05-01 00:00"))
    jobs.run_digests(at("2026-05-05 15:00"))
    db.session.commit()
    assert [r.status for r in outbox("digest") if r.user_id == officer.id] == ["missed", "pending"]
    html = login_as(make_user("admin")).get("/admin/mail?status=missed").get_data(as_text=True)
    assert officer.email in html and "el programador no estaba en marcha" in html


def test_unknown_status_tab_falls_back_to_the_attention_list(make_user, login_as):
    _queue(1, status="missed")
    response = login_as(make_user("admin")).get("/admin/mail?status=nonsense&page=x")
    assert response.status_code == 200 and "p0@example.org" in response.get_data(as_text=True)


def test_unsubscribe_with_a_forged_token_changes_nothing(client, factory):
    from crm.reminders.tokens import make_unsubscribe_token

    user = factory.user()
    db.session.commit()
    token = make_unsubscribe_token(user.id, "digest")
    forged = token.replace(token[-5:], "AAAAA")
    assert client.post(f"/unsubscribe/{forged}").status_code == 400
    db.session.refresh(user)
    assert user.notify_digest is True


def test_run_reminders_command(app, factory):
    from datetime import timedelta

    from crm.core.time import utcnow

    officer = factory.user()
    factory.task(officer, utcnow() + timedelta(hours=2))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["crm", "run-reminders"])
    assert result.exit_code == 0 and "due_soon: 1" in result.output


def test_old_sent_mail_is_purged_but_recent_and_failed_mail_kept():
    _queue(3)
    old, recent, failed = outbox()
    old.status, old.created_at = "sent", at("2026-01-01 00:00")
    recent.status, recent.created_at = "sent", at("2026-05-01 00:00")
    failed.status, failed.created_at = "failed", at("2026-01-01 00:00")
    db.session.flush()
    assert jobs.purge_old_mail(at("2026-05-04 00:00")) == 1
    assert [r.id for r in outbox()] == [recent.id, failed.id]


def test_mail_held_by_a_sender_is_shown_with_its_lease(make_user, login_as):
    from crm.reminders import sender

    _queue(1)
    sender.claim_batch("host:1234:crashed")
    html = login_as(make_user("admin")).get("/admin/mail").get_data(as_text=True)
    assert "host:1234:crashed" in html and "Enviándose" in html
