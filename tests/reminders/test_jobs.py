"""Reminder jobs: what lands in the outbox, when, for whom, and never twice."""

from datetime import timedelta

from crm.extensions import db
from crm.reminders import jobs
from crm.reminders.tokens import read_unsubscribe_token
from tests.reminders.conftest import at, outbox


def test_task_due_within_24_hours_is_reminded_once(factory):
    officer = factory.user()
    now = at("2026-05-04 14:00")
    soon = factory.task(officer, now + timedelta(hours=5), title="Enviar el informe a la asesora")
    factory.task(officer, now + timedelta(hours=30), title="Lejana")
    factory.task(officer, now + timedelta(hours=2), title="Hecha", status="done")

    assert jobs.run_due_soon(now) == 1
    assert jobs.run_due_soon(now + timedelta(minutes=1)) == 0

    [row] = outbox("due_soon")
    assert row.idempotency_key == f"due_soon:{soon.id}:20260504T190000Z"
    assert row.recipient == officer.email and row.status == "pending"
    assert "Enviar el informe a la asesora" in row.subject
    assert "Enviar el informe a la asesora" in row.body_text and "<strong>" in row.body_html
    # The due time is shown in the user's zone (Lima, UTC-5): 19:00 UTC is 14:00 there.
    assert "14:00" in row.body_text


def test_rescheduled_task_gets_a_new_reminder(factory):
    officer = factory.user()
    now = at("2026-05-04 14:00")
    task = factory.task(officer, now + timedelta(hours=5))
    jobs.run_due_soon(now)
    task.due_at = now + timedelta(hours=8)
    db.session.flush()
    assert jobs.run_due_soon(now) == 1
    assert len(outbox("due_soon")) == 2


def test_preferences_and_roles_are_respected(factory):
    now = at("2026-05-04 14:00")
    muted = factory.user(notify_due_soon=False)
    inactive = factory.user(active=False)
    partner = factory.user(role="viewer")
    for user in (muted, inactive, partner):
        factory.task(user, now + timedelta(hours=1))
    assert jobs.run_due_soon(now) == 0


def test_every_reminder_carries_a_working_unsubscribe_link(factory, client):
    officer = factory.user()
    now = at("2026-05-04 14:00")
    factory.task(officer, now + timedelta(hours=1))
    jobs.run_due_soon(now)
    db.session.commit()
    [row] = outbox("due_soon")
    assert row.unsubscribe_url in row.body_text and row.unsubscribe_url in row.body_html
    token = row.unsubscribe_url.rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (officer.id, "due_soon")

    # No login: the page asks first, and only the POST switches the reminder off.
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "darme de baja" in page.get_data(as_text=True)
    db.session.refresh(officer)
    assert officer.notify_due_soon is True
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and "ya no recibirá" in done.get_data(as_text=True)
    db.session.refresh(officer)
    assert officer.notify_due_soon is False and officer.notify_overdue is True

    assert client.get(f"/unsubscribe/{token[:-3]}xyz").status_code == 400


def test_overdue_at_most_once_per_local_day(factory):
    officer = factory.user(timezone="America/Lima", digest_hour=8)
    task = factory.task(officer, at("2026-05-04 20:00"))  # 15:00 in Lima
    sent_at = []
    now = at("2026-05-04 19:00")
    while now < at("2026-05-07 19:00"):
        if jobs.run_overdue(now):
            sent_at.append(now)
        now += timedelta(minutes=30)
    # The day it falls due: at once. Later days: at 08:00 Lima (13:00 UTC).
    assert sent_at == [at("2026-05-04 20:00"), at("2026-05-05 13:00"), at("2026-05-06 13:00"), at("2026-05-07 13:00")]
    assert [r.idempotency_key for r in outbox("overdue")] == [
        f"overdue:{task.id}:2026-05-04", f"overdue:{task.id}:2026-05-05",
        f"overdue:{task.id}:2026-05-06", f"overdue:{task.id}:2026-05-07",
    ]


def test_meeting_reminder_for_author_and_staff_before_start(factory, app, monkeypatch):
    monkeypatch.setitem(app.config, "MEETING_REMINDER_MINUTES", 90)
    author, colleague, muted = factory.user(), factory.user(), factory.user(notify_meetings=False)
    legislator = factory.legislator("Rosa Mavila")
    meeting = factory.interaction(author, at("2026-05-04 17:00"), staff=[colleague, muted], legislators=[legislator])
    assert jobs.run_meetings(at("2026-05-04 15:29")) == 0
    assert jobs.run_meetings(at("2026-05-04 15:30")) == 2
    assert jobs.run_meetings(at("2026-05-04 15:31")) == 0
    rows = outbox("meeting")
    assert sorted(r.recipient for r in rows) == sorted([author.email, colleague.email])
    assert all("Rosa Mavila" in r.body_text and "12:00" in r.body_text for r in rows)
    assert rows[0].idempotency_key.startswith(f"meeting:{meeting.id}:")


def test_deleted_meetings_and_logged_emails_are_not_reminded(factory):
    from crm.core.time import utcnow

    author = factory.user()
    factory.interaction(author, at("2026-05-04 17:00"), deleted_at=utcnow())
    factory.interaction(author, at("2026-05-04 17:00"), kind="email")
    assert jobs.run_meetings(at("2026-05-04 16:00")) == 0


def test_missed_reminders_after_downtime_are_recorded_not_sent(factory):
    officer = factory.user()
    task = factory.task(officer, at("2026-05-04 10:00"), created_at=at("2026-05-01 10:00"))
    factory.interaction(officer, at("2026-05-04 11:00"), created_at=at("2026-05-01 10:00"))
    # The scheduler was down from before the reminders were due until after both times passed.
    now = at("2026-05-04 12:00")
    jobs.run_due_soon(now)
    jobs.run_meetings(now)
    [due] = outbox("due_soon")
    [meeting] = outbox("meeting")
    assert due.status == "missed" and due.idempotency_key == f"due_soon:{task.id}:20260504T100000Z"
    assert "vencida" in due.last_error
    assert meeting.status == "missed"
    # The overdue reminder still tells the user, once.
    assert jobs.run_overdue(now) == 1
    # Running again changes nothing.
    assert jobs.run_due_soon(now) == 0 and jobs.run_meetings(now) == 0 and jobs.run_overdue(now) == 0


def test_a_task_created_overdue_is_not_reported_missed(factory):
    officer = factory.user()
    factory.task(officer, at("2026-05-04 10:00"), created_at=at("2026-05-04 11:00"))
    jobs.run_due_soon(at("2026-05-04 12:00"))
    assert outbox("due_soon") == []
