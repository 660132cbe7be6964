"""A meeting logged at short notice while the scheduler is down gets a 'missed' row, like everything else."""

from crm.reminders import jobs
from tests.reminders.conftest import at, outbox


def test_a_meeting_logged_at_short_notice_during_downtime_is_recorded_missed(factory):
    officer = factory.user()
    # Logged 30 minutes before it starts (the reminder lead is 120 minutes), while the scheduler was down.
    meeting = factory.interaction(officer, at("2026-05-04 11:00"), created_at=at("2026-05-04 10:30"))
    jobs.run_meetings(at("2026-05-04 12:00"))
    [row] = outbox("meeting")
    assert row.status == "missed" and row.idempotency_key.startswith(f"meeting:{meeting.id}:")
    assert jobs.run_meetings(at("2026-05-04 12:01")) == 0


def test_a_meeting_logged_after_it_happened_gets_no_row(factory):
    officer = factory.user()
    factory.interaction(officer, at("2026-05-04 11:00"), created_at=at("2026-05-04 11:45"))
    jobs.run_meetings(at("2026-05-04 12:00"))
    assert outbox("meeting") == []


def test_a_meeting_logged_at_short_notice_while_running_is_reminded_at_once(factory):
    officer = factory.user()
    factory.interaction(officer, at("2026-05-04 11:00"), created_at=at("2026-05-04 10:30"))
    jobs.run_meetings(at("2026-05-04 10:31"))
    [row] = outbox("meeting")
    assert row.status == "pending"
