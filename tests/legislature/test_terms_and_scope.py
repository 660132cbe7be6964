"""Terms decide who sits; lists open on the legislatures in session; each measured disagreement stays fixed."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from crm.campaigns import queries as campaign_queries
from crm.campaigns.models import Campaign, StanceAssessment, VoteStage
from crm.campaigns.stance import cutoff_for_day, stance_as_of
from crm.core.time import local_today, utcnow
from crm.demo import load_demo
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import (
    Chamber,
    Committee,
    LegislativeTerm,
    Legislator,
    Legislature,
    SeatMembership,
)
from crm.legislature.queries import DirectoryFilters, directory_rows, search_legislators
from crm.outreach.queries import going_cold
from crm.reminders.digests import build_weekly, going_cold_rows
from tests.conftest import login

TZ = "America/Lima"


def _legislature(name="Congreso", start=date(2026, 7, 28), end=date(2031, 7, 26)):
    legislature = Legislature(name=name, country="PE")
    db.session.add(legislature)
    db.session.flush()
    db.session.add(LegislativeTerm(legislature_id=legislature.id, label="2026–2031", start_date=start, end_date=end))
    chamber = Chamber(legislature_id=legislature.id, name="Cámara", seats=130)
    db.session.add(chamber)
    db.session.flush()
    return legislature, chamber


def _person(chamber, name, start, end=date(2031, 7, 26)):
    person = Legislator(full_name=name, sort_name=name, search_name=name.lower())
    db.session.add(person)
    db.session.flush()
    db.session.add(SeatMembership(legislator_id=person.id, chamber_id=chamber.id, start_date=start, end_date=end))
    return person


def test_a_seat_that_starts_next_month_sits_nowhere_yet():
    """Measured: a seat starting in 30 days showed in going_cold() but not in whip_count()."""
    today = local_today(TZ)
    legislature, chamber = _legislature(start=today - timedelta(days=200))
    sitting = _person(chamber, "Sentada Hoy", today - timedelta(days=100))
    coming = _person(chamber, "Llega Pronto", today + timedelta(days=30))
    campaign = Campaign(name="Campaña de prueba", legislature_id=legislature.id, status="active")
    db.session.add(campaign)
    db.session.flush()
    db.session.add(VoteStage(campaign_id=campaign.id, name="Pleno", chamber_id=chamber.id, position=1))
    db.session.flush()
    now = utcnow()
    campaign, bodies = campaign_queries.campaign_with_bodies(campaign.id)
    count = campaign_queries.whip_count(campaign, bodies[0], today, cutoff_for_day(today, TZ))
    cold = {row.legislator_id for row in going_cold(campaign.id, now, today)}
    digest = {line.legislator_id for _owner, line in going_cold_rows(now) if line.campaign == campaign.name}
    directory = {row[0].id for row in directory_rows(DirectoryFilters(status="active", legislature=legislature.id), today)}
    for who in (count.members and {m.id for m in count.members}, cold, digest, directory):
        assert sitting.id in who and coming.id not in who
    later = today + timedelta(days=31)
    assert {m.id for m in campaign_queries.whip_count(campaign, bodies[0], later, None).members} == {sitting.id, coming.id}


def test_the_stance_cutoff_is_the_same_everywhere():
    """Measured: the weekly summary counted an assessment made at the cutoff instant, the whip count did not."""
    today = date(2026, 11, 30)
    legislature, chamber = _legislature(start=date(2026, 7, 28))
    person = _person(chamber, "Rosa Corte", date(2026, 7, 28))
    campaign = Campaign(name="Corte", legislature_id=legislature.id, status="active")
    db.session.add(campaign)
    db.session.flush()
    db.session.add(VoteStage(campaign_id=campaign.id, name="Pleno", chamber_id=chamber.id, position=1))
    week_start = datetime(2026, 11, 23, 17, tzinfo=UTC)
    db.session.add_all([
        StanceAssessment(campaign_id=campaign.id, legislator_id=person.id, level="undecided",
                         assessed_at=week_start - timedelta(days=3)),
        StanceAssessment(campaign_id=campaign.id, legislator_id=person.id, level="supporter", assessed_at=week_start),
    ])
    db.session.flush()
    assert stance_as_of(campaign.id, person.id, week_start) == "undecided"
    assert stance_as_of(campaign.id, person.id, week_start + timedelta(microseconds=1)) == "supporter"
    summary = build_weekly(week_start + timedelta(days=7))
    [movement] = [m for m in summary.campaigns if m.name == "Corte"]
    assert movement.before == {"undecided": 1} and sum(movement.after.values()) == 1
    assert "undecided" not in movement.after
    campaign, bodies = campaign_queries.campaign_with_bodies(campaign.id)
    series = campaign_queries.trend(campaign.id, bodies[0].stage, today, [week_start])
    assert series["undecided"] == [1] and series["supporter"] == [0]


def test_pinning_a_legislature_makes_lists_open_on_it(make_user, login_as):
    today = local_today(TZ)
    current, chamber = _legislature("Congreso actual", start=today - timedelta(days=100), end=today + timedelta(days=900))
    old, old_chamber = _legislature("Congreso antiguo", start=date(2011, 7, 27), end=date(2016, 7, 26))
    _person(chamber, "Ana Actual", today - timedelta(days=100), today + timedelta(days=900))
    _person(old_chamber, "Ana Antigua", date(2011, 7, 27), date(2016, 7, 26))
    db.session.commit()
    assert [o.id for o in scope.legislature_options(today) if o.in_scope] == [current.id]
    client = login_as(make_user("admin"))
    html = client.get("/legislators", query_string={"q": "ana"}).get_data(as_text=True)
    assert "Ana Actual" in html and "Ana Antigua" not in html
    assert "Ana Antigua" in client.get("/legislators", query_string={"q": "ana", "legislature": "all",
                                                                       "status": "all"}).get_data(as_text=True)
    response = client.post(f"/legislatures/{old.id}/pin", data={"pinned": "1"})
    assert response.status_code == 302
    assert [o.id for o in scope.legislature_options(today) if o.in_scope] == [old.id]
    html = client.get("/legislators", query_string={"q": "ana", "status": "all"}).get_data(as_text=True)
    assert "Ana Antigua" in html and "Ana Actual" not in html
    assert "Congreso antiguo" in client.get("/legislatures").get_data(as_text=True)
    officer = make_user("officer")
    login(client, officer)
    assert client.post(f"/legislatures/{old.id}/pin", data={"pinned": "0"}).status_code == 403


def test_demo_in_december_2026_agrees_with_itself(make_user, login_as, client):
    """The demo, as a director meets it: every list speaks of the 2026 Congress, history one filter away."""
    context = load_demo(progress=lambda *_: None)
    today = local_today(TZ)
    assert today >= date(2026, 7, 28), "this test describes the demo after the 2026 Congress took office"
    peru_2011, peru_2026 = context["peru_2011"], context["peru_2026"]
    assert peru_2011.terms[0].end_date == date(2016, 7, 26)
    assert [o.id for o in scope.legislature_options(today) if o.in_scope] == [peru_2026.id]

    campaign = context["campaign"]
    stage_chambers = {s.chamber_id or db.session.get(Committee, s.committee_id).chamber_id for s in campaign.stages}
    sitting_there = set(db.session.execute(
        select(SeatMembership.legislator_id).where(SeatMembership.chamber_id.in_(stage_chambers))
    ).scalars())
    now = utcnow()
    cold = {row.legislator_id for row in going_cold(campaign.id, now, today)}
    assert cold and cold <= sitting_there
    assert not cold & set(db.session.execute(
        select(SeatMembership.legislator_id).where(SeatMembership.chamber_id == context["peru_2011_chamber"].id)
    ).scalars())
    digest = {line.legislator_id for _owner, line in going_cold_rows(now) if line.campaign == campaign.name}
    assert digest == cold

    client = login_as(context["users"]["director"])
    html = client.get("/legislators").get_data(as_text=True)
    assert "Demo " in html and "Verónika Fanny Mendoza Frisch" not in html
    assert "Verónika Fanny Mendoza Frisch" in client.get(
        "/legislators", query_string={"legislature": peru_2011.id, "q": "mendoza"}).get_data(as_text=True)

    officer = context["users"]["officer"]
    default_hits = search_legislators("mendoza", today)
    assert default_hits and all(hit.full_name.startswith("Demo ") for hit in default_hits)
    term_hits = search_legislators("mendoza", today, peru_2011.id)
    assert term_hits[0].full_name == "Verónika Fanny Mendoza Frisch"
    assert term_hits[0].chamber.startswith("Congreso de la República") and term_hits[0].district == "Cusco"
    login(client, officer)
    fragment = client.get("/log/legislators", query_string={"q": "mendoza", "legislature": peru_2011.id})
    assert fragment.get_data(as_text=True).index("Verónika Fanny Mendoza Frisch") >= 0

    login(client, context["users"]["director"])
    form = client.get(f"/campaigns/{campaign.id}/stages/new").get_data(as_text=True)
    committees_2026 = db.session.execute(
        select(Committee.name).join(Chamber).where(Chamber.legislature_id == peru_2026.id)).scalars().all()
    assert form.count("Comisión de Justicia y Derechos Humanos") == len(committees_2026)
