"""Daily digest and weekly summary: content, local times across DST, constant query count, missed days."""

from datetime import timedelta

import pytest

from crm.reminders import jobs
from crm.reminders.digests import build_digests, build_weekly
from tests.reminders.conftest import at, outbox


def _run_every(step, start, end, job):
    """Run a job at each step from start to end; return the instants at which it wrote something."""
    fired = []
    now = start
    while now < end:
        if job(now):
            fired.append(now)
        now += step
    return fired


def _pending_digests(user):
    return [r for r in outbox("digest", status="pending") if r.user_id == user.id]


def test_digest_and_going_cold_page_name_the_same_legislators(factory):
    """Only members of a chamber where the campaign votes go cold; the senate seat of a deputies' bill does not."""
    from datetime import date

    from crm.extensions import db
    from crm.legislature.models import Chamber, SeatMembership
    from crm.outreach.queries import going_cold

    now = at("2026-05-04 13:00")
    director = factory.user(role="director")
    campaign = factory.campaign(going_cold_days=14)
    deputies = [factory.legislator(f"Diputada {n}") for n in range(3)]
    factory.interaction(director, at("2026-05-01 15:00"), legislators=[deputies[2]])  # recent: warm
    senate = Chamber(legislature_id=factory.chamber().legislature_id, name="Senado", seats=60)
    db.session.add(senate)
    db.session.flush()
    senator = factory.legislator("Senadora Sin Votación")
    db.session.execute(SeatMembership.__table__.update().where(SeatMembership.legislator_id == senator.id)
                       .values(chamber_id=senate.id, start_date=date(2026, 7, 28)))
    db.session.flush()

    in_digest = [c.legislator for c in build_digests([director], now)[director.id].going_cold]
    on_page = [row.name for row in going_cold(campaign.id, now)]
    assert sorted(in_digest) == sorted(on_page) == ["Diputada 0", "Diputada 1"]


def test_digest_lists_overdue_today_meetings_and_going_cold(factory):
    now = at("2026-05-04 13:00")  # 08:00 in Lima
    officer = factory.user(name="Óscar")
    director = factory.user(role="director")
    campaign = factory.campaign(going_cold_days=14)
    cold_owned = factory.legislator("Verónika Mendoza", owner=officer)
    cold_unowned = factory.legislator("Indira Huilca")
    warm = factory.legislator("Marisa Glave", owner=officer)
    champion = factory.legislator("Alberto de Belaunde", owner=officer)
    retired = factory.legislator("Ex Congresista", owner=officer, sitting=False)
    factory.stance(campaign, cold_owned, "undecided", at("2026-03-01 12:00"))
    factory.stance(campaign, champion, "champion", at("2026-03-01 12:00"))
    factory.interaction(officer, at("2026-04-01 15:00"), legislators=[cold_owned])
    factory.interaction(officer, at("2026-04-28 15:00"), legislators=[warm])
    factory.task(officer, at("2026-05-02 15:00"), title="Llamar a la asesora")
    factory.task(officer, at("2026-05-04 20:00"), title="Preparar la carta")
    factory.task(officer, at("2026-05-05 15:00"), title="Mañana")
    factory.interaction(director, at("2026-05-04 16:00"), staff=[officer], legislators=[warm], place="Sala 2")

    digests = build_digests([officer, director], now)
    mine = digests[officer.id]
    assert [t.title for t in mine.overdue] == ["Llamar a la asesora"]
    assert [t.title for t in mine.today] == ["Preparar la carta"]
    assert [m.legislators for m in mine.meetings] == [["Marisa Glave"]]
    assert [c.legislator for c in mine.going_cold] == ["Verónika Mendoza"]
    assert "Ex Congresista" not in [c.legislator for c in mine.going_cold]
    # Directors also see targets nobody owns.
    assert [c.legislator for c in digests[director.id].going_cold] == ["Indira Huilca"]
    assert cold_unowned and retired

    jobs.run_digests(now)
    assert len(outbox("digest", status="pending")) == 2
    [row] = _pending_digests(officer)
    assert "1 tarea vencida, 1 para hoy, 1 reunión" in row.subject
    for body in (row.body_text, row.body_html):
        assert "Llamar a la asesora" in body and "Preparar la carta" in body
        assert "Verónika Mendoza" in body and "Sala 2" in body
        assert "lunes, 4 de mayo de 2026" in body
        assert row.unsubscribe_url in body


def test_digest_uses_the_recipients_language(factory):
    now = at("2026-05-04 13:00")
    english = factory.user(language="en")
    jobs.run_digests(now)
    [row] = _pending_digests(english)
    assert "Monday, May 4, 2026" in row.body_text


def test_digest_costs_the_same_queries_for_3_or_30_users(factory, count_queries):
    now = at("2026-05-04 13:00")
    campaign = factory.campaign()

    def populate(n):
        users = []
        for _ in range(n):
            user = factory.user()
            legislator = factory.legislator(owner=user)
            factory.stance(campaign, legislator, "undecided", at("2026-03-01 12:00"))
            factory.task(user, now - timedelta(hours=3))
            factory.task(user, now + timedelta(hours=3))
            factory.interaction(user, now + timedelta(hours=2), legislators=[legislator])
            users.append(user)
        return users

    populate(3)
    with count_queries() as few:
        jobs.run_digests(now)
    assert len(outbox("digest", status="pending")) == 3
    populate(30)
    with count_queries() as many:
        jobs.run_digests(now + timedelta(minutes=5))
    assert len(outbox("digest", status="pending")) == 33
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize(
    ("zone", "day_before", "switch_day", "expected"),
    [
        # Lima has no daylight saving: 08:00 is always 13:00 UTC.
        ("America/Lima", "2026-03-07", "2026-03-08", ["2026-03-07 13:00", "2026-03-08 13:00"]),
        # New York springs forward on 2026-03-08: 08:00 moves from 13:00 to 12:00 UTC.
        ("America/New_York", "2026-03-07", "2026-03-08", ["2026-03-07 13:00", "2026-03-08 12:00"]),
        # …and falls back on 2026-11-01: from 12:00 to 13:00 UTC.
        ("America/New_York", "2026-10-31", "2026-11-01", ["2026-10-31 12:00", "2026-11-01 13:00"]),
    ],
)
def test_digest_arrives_at_local_eight_across_dst(factory, zone, day_before, switch_day, expected):
    user = factory.user(timezone=zone, digest_hour=8)
    # From 01:00 local on the day before until the end of the switch day, every 15 minutes.
    _run_every(timedelta(minutes=15), at(f"{day_before} 06:00"), at(f"{switch_day} 23:45"), jobs.run_digests)
    rows = _pending_digests(user)
    assert [r.created_at for r in rows] == [at(x) for x in expected]
    assert [r.idempotency_key for r in rows] == [f"digest:{user.id}:{day_before}", f"digest:{user.id}:{switch_day}"]


@pytest.mark.parametrize("switch_day", ["2026-03-08", "2026-11-01"])
def test_overdue_once_per_local_day_across_dst(factory, switch_day):
    from datetime import date

    user = factory.user(timezone="America/New_York", digest_hour=8)
    day = date.fromisoformat(switch_day)
    task = factory.task(user, at(f"{(day - timedelta(days=1)).isoformat()} 18:00"))
    fired = _run_every(timedelta(minutes=15), at(f"{(day - timedelta(days=1)).isoformat()} 17:00"),
                       at(f"{(day + timedelta(days=1)).isoformat()} 23:45"), jobs.run_overdue)
    keys = [r.idempotency_key for r in outbox("overdue")]
    assert keys == [f"overdue:{task.id}:{(day + timedelta(days=d)).isoformat()}" for d in (-1, 0, 1)]
    offsets = {"2026-03-08": ("12:00", "12:00"), "2026-11-01": ("13:00", "13:00")}[switch_day]
    assert fired[1:] == [at(f"{switch_day} {offsets[0]}"), at(f"{(day + timedelta(days=1)).isoformat()} {offsets[1]}")]


def test_missed_digest_is_recorded_and_today_is_sent_late(factory):
    user = factory.user(created_at=at("2026-05-02 20:00"))
    jobs.run_digests(at("2026-05-03 13:00"))
    # The scheduler is down all of 4 May and comes back at 10:00 Lima on 5 May.
    assert jobs.run_digests(at("2026-05-05 15:00")) == 2
    rows = [r for r in outbox("digest") if r.user_id == user.id]
    assert [(r.idempotency_key, r.status) for r in rows] == [
        (f"digest:{user.id}:2026-05-03", "pending"),
        (f"digest:{user.id}:2026-05-04", "missed"),
        (f"digest:{user.id}:2026-05-05", "pending"),
    ]
    assert jobs.run_digests(at("2026-05-05 16:00")) == 0


def test_new_user_is_not_reported_as_missing_yesterdays_digest(factory):
    factory.user(created_at=at("2026-05-05 09:00"))
    jobs.run_digests(at("2026-05-05 15:00"))
    assert [r.status for r in outbox("digest")] == ["pending"]


def test_weekly_summary_for_directors_on_monday(factory):
    director = factory.user(role="director", digest_hour=8)
    officer = factory.user(name="Olga Oficial")
    campaign = factory.campaign()
    mover = factory.legislator("Rosa Mavila")
    steady = factory.legislator("Otro")
    factory.stance(campaign, mover, "undecided", at("2026-04-01 12:00"))
    factory.stance(campaign, mover, "supporter", at("2026-05-02 12:00"))
    factory.stance(campaign, steady, "opposed", at("2026-04-01 12:00"))
    factory.task(officer, at("2026-05-01 12:00"))
    factory.task(officer, at("2026-05-02 12:00"))

    summary = build_weekly(at("2026-05-04 13:00"))
    [movement] = summary.campaigns
    counts = {level: (x, y) for level, x, y in movement.rows}
    assert counts["supporter"] == (0, 1) and counts["undecided"] == (1, 0) and counts["opposed"] == (1, 1)
    assert [(m.legislator, m.before, m.after) for m in summary.movers] == [("Rosa Mavila", "undecided", "supporter")]
    assert ("Olga Oficial", 2) in summary.overdue_by_officer

    # Sunday: nothing to send. Monday 08:00 Lima: one, and only one.
    def pending():
        return len(outbox("weekly", status="pending"))

    jobs.run_weekly(at("2026-05-03 13:00"))
    jobs.run_weekly(at("2026-05-04 12:55"))
    assert pending() == 0
    jobs.run_weekly(at("2026-05-04 13:00"))
    jobs.run_weekly(at("2026-05-04 18:00"))
    jobs.run_weekly(at("2026-05-06 18:00"))
    assert pending() == 1
    [row] = outbox("weekly", status="pending")
    assert row.recipient == director.email
    assert "Rosa Mavila" in row.body_text and "Olga Oficial: 2" in row.body_text
    assert "Rosa Mavila" in row.body_html


def test_officers_get_no_weekly_summary(factory):
    factory.user(role="officer")
    assert jobs.run_weekly(at("2026-05-04 13:00")) == 0


def test_weekly_summary_missed_on_monday_is_recorded(factory):
    director = factory.user(role="director", created_at=at("2026-04-25 12:00"))
    jobs.run_weekly(at("2026-04-27 13:00"))
    # Down from Sunday to Wednesday: this week's summary is recorded as missed, not sent on Wednesday.
    jobs.run_weekly(at("2026-05-06 15:00"))
    rows = [(r.idempotency_key, r.status) for r in outbox("weekly")]
    assert rows == [(f"weekly:{director.id}:2026-W18", "pending"), (f"weekly:{director.id}:2026-W19", "missed")]


def test_digest_subject_uses_each_counts_own_plural_in_english(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        assert jobs.digest_subject(1, 0, 1) == "Your daily summary: 1 overdue task, 0 due today, 1 meeting"
        assert jobs.digest_subject(2, 3, 2) == "Your daily summary: 2 overdue tasks, 3 due today, 2 meetings"
    with app.test_request_context(), force_locale("es_PE"):
        assert jobs.digest_subject(1, 1, 1) == "Su resumen del día: 1 tarea vencida, 1 para hoy, 1 reunión"
