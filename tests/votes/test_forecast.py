"""The forecast page: the confusion table adds up to the body's members, the stance is the one as of the vote's
instant, surprises name the last meeting and owner, a fixed statement count at any size; evidence and scorecards."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from crm.campaigns.models import StanceAssessment
from crm.campaigns.operations import record_stance
from crm.extensions import db
from crm.votes import accuracy, operations
from crm.votes.queries import forecast as forecast_queries
from crm.votes.queries import scorecards as scorecard_queries
from tests.campaigns.conftest import add_campaign, add_contact, build_world

VOTE_AT = datetime(2015, 11, 16, 16, 30, tzinfo=UTC)


def _vote(world, options, chamber=True, **fields):
    votes = {world.legislators[i].id: option for i, option in options.items()}
    return operations.record_vote_event(
        source_key=f"t-{len(options)}-{chamber}-{fields.get('key', '')}", start_at=VOTE_AT, motion="Dictamen", votes=votes,
        actor=None, chamber_id=world.chamber.id if chamber else None,
        committee_id=None if chamber else world.committee.id)


def _stance(world, i, level, when, confidence=50):
    record_stance(campaign_id=world.campaign.id, legislator_id=world.legislators[i].id, level=level, actor=None,
                  assessed_at=when, confidence=confidence)


def test_confusion_table_adds_up_to_the_chamber_and_uses_the_stance_before_the_vote(vworld):
    _stance(vworld, 0, "supporter", VOTE_AT - timedelta(days=3))
    _stance(vworld, 0, "opposed", VOTE_AT)  # at the vote's instant: not "before", so it does not count
    _stance(vworld, 1, "leaning_yes", VOTE_AT - timedelta(days=1), confidence=80)
    _stance(vworld, 2, "opposed", VOTE_AT - timedelta(days=1))
    add_contact(vworld.legislators[1], VOTE_AT - timedelta(days=2))
    event = _vote(vworld, {0: "yes", 1: "no", 2: "no", 3: "paired"})
    db.session.commit()
    members = forecast_queries.members(event, vworld.campaign.id, "America/Lima")
    result = accuracy.compute(members)
    assert result.total == 20 == sum(sum(row.values()) for row in result.table.values())
    assert result.table["supporter"]["yes"] == 1 and result.table["leaning_yes"]["no"] == 1
    assert result.table["opposed"]["no"] == 1 and result.table["unknown"]["absent"] == 17
    assert (result.secured, result.secured_yes, result.opposed, result.opposed_no, result.actual_yes) == (1, 1, 1, 1, 1)
    [surprise] = result.surprises
    assert surprise.legislator_id == vworld.legislators[1].id and surprise.last_meeting is not None
    assert dict((label, (n, r)) for label, n, r in result.calibration)["70–89"] == (1, 0)


def test_committee_vote_counts_the_committee(vworld):
    event = _vote(vworld, {0: "yes", 1: "no"}, chamber=False)
    result = accuracy.compute(forecast_queries.members(event, vworld.campaign.id, "America/Lima"))
    assert result.total == 5


def test_forecast_page_costs_the_same_statements_at_any_size(make_user, login_as, count_queries):
    client = login_as(make_user("director"))
    counts = []
    for size in (10, 80):
        world = build_world(size=size, committee_size=3)
        add_campaign(world)
        for i in range(size):
            _stance(world, i, ("supporter", "undecided", "opposed", "leaning_yes")[i % 4], VOTE_AT - timedelta(days=i % 9 + 1))
            add_contact(world.legislators[i], VOTE_AT - timedelta(days=i % 5 + 1))
        event = _vote(world, {i: ("yes", "no", "abstain", "absent")[i % 4] for i in range(size)}, key=size)
        db.session.commit()
        url = f"/votes/campaigns/{world.campaign.id}/events/{event.id}/forecast"
        client.get(url)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert f"Total: {size} miembros" in response.get_data(as_text=True)
        counts.append(len(statements))
    # The signed-in user, the campaign, the event with its body, and one statement for all the members.
    assert counts == [4, 4]


def test_forecast_export(vworld, make_user, login_as):
    event = _vote(vworld, {0: "yes"})
    db.session.commit()
    client = login_as(make_user("director"))
    base = f"/votes/campaigns/{vworld.campaign.id}/events/{event.id}/forecast"
    csv_text = client.get(base + ".csv").get_data(as_text=True)
    assert "Postura antes del voto" in csv_text and "Pérez, 000" in csv_text
    assert client.get(base + ".xlsx").data[:2] == b"PK"
    assert client.get(base + ".pdf").status_code == 404


def test_votes_become_stances_once_append_only(vworld, make_user, login_as):
    from crm.votes.models import Bill, CampaignBill

    bill = Bill(legislature_id=vworld.legislature.id, number="1/2015", title="x")
    db.session.add(bill)
    db.session.flush()
    db.session.add(CampaignBill(campaign_id=vworld.campaign.id, bill_id=bill.id))
    _stance(vworld, 0, "undecided", VOTE_AT - timedelta(days=3))
    event = _vote(vworld, {0: "yes", 1: "no", 2: "abstain", 3: "absent"})
    event.bill_id = bill.id
    db.session.commit()
    client = login_as(make_user("director"))
    page = client.get(f"/votes/events/{event.id}").get_data(as_text=True)
    assert "Convertir votos en posturas" in page and "data-confirm" in page
    form = {"csrf_token": client.csrf_token(), "campaign_id": vworld.campaign.id, "our_position": "yes"}
    client.post(f"/votes/events/{event.id}/evidence", data=form)
    rows = db.session.execute(select(StanceAssessment.legislator_id, StanceAssessment.level, StanceAssessment.commitment,
                                     StanceAssessment.assessed_at).where(StanceAssessment.commitment == "recorded_vote")
                              .order_by(StanceAssessment.legislator_id)).all()
    ids = [p.id for p in vworld.legislators]
    assert [(r[0], r[1]) for r in rows] == [(ids[0], "supporter"), (ids[1], "opposed"), (ids[2], "undecided")]
    assert all(r[3] == VOTE_AT for r in rows)
    total = db.session.execute(select(func.count(StanceAssessment.id))).scalar_one()
    assert total == 4  # the earlier assessment is kept
    client.post(f"/votes/events/{event.id}/evidence", data=form)
    assert db.session.execute(select(func.count(StanceAssessment.id))).scalar_one() == 4


def test_scorecard_page_filters_and_exports(vworld, make_user, login_as):
    first = _vote(vworld, {0: "yes", 1: "no", 2: "absent"}, key="a")
    second = _vote(vworld, {0: "no", 1: "no", 2: "yes"}, key="b")
    card = operations.create_scorecard(name="Ficha", items={first.id: "yes", second.id: "no"}, actor=None)
    db.session.commit()
    rows = {r.legislator_id: r for r in scorecard_queries.rows(card.id, VOTE_AT.date())}
    ids = [p.id for p in vworld.legislators]
    assert (rows[ids[0]].our_way, rows[ids[0]].cast, rows[ids[0]].absences) == (2, 2, 0)
    assert (rows[ids[2]].our_way, rows[ids[2]].cast, rows[ids[2]].absences) == (0, 1, 1)
    client = login_as(make_user("director"))
    page = client.get(f"/scorecards/{card.id}?group={vworld.groups[0].id}&sort=name").get_data(as_text=True)
    assert "Pérez, 000" in page and "Pérez, 001" not in page  # 001 sits in the second group
    assert "Pérez, 002" not in page
    assert "Puntaje (%)" in client.get(f"/scorecards/{card.id}/export.csv").get_data(as_text=True)
    assert client.get(f"/scorecards/{card.id}/export.xlsx").data[:2] == b"PK"
    profile = client.get(f"/votes/legislators/{ids[0]}").get_data(as_text=True)
    assert "Ficha" in profile and "100 %" in profile


def test_campaign_panel_shows_the_bill_timeline(vworld, make_user, login_as):
    from datetime import date

    bill = operations.create_bill(legislature_id=vworld.legislature.id, number="03839/2014-IC", title="Déjala decidir",
                                  actor=None)
    step = operations.add_bill_step(bill, status="report", day=date(2015, 11, 16), actor=None)
    operations.follow_bill(vworld.campaign.id, bill, actor=None)
    operations.link_stage(vworld.committee_stage, step, actor=None)
    db.session.commit()
    client = login_as(make_user("director"))
    assert f'hx-get="/votes/campaigns/{vworld.campaign.id}/bills"' in client.get(f"/campaigns/{vworld.campaign.id}").get_data(as_text=True)
    panel = client.get(f"/votes/campaigns/{vworld.campaign.id}/bills").get_data(as_text=True)
    assert "03839/2014-IC" in panel and "Dictamen" in panel and "Etapa: Comisión de Justicia" in panel


def test_entry_by_hand_lists_the_committee_members_that_day_and_saves(vworld, make_user, login_as):
    from crm.votes.models import Vote, VoteEvent

    client = login_as(make_user("director"))
    form = {"csrf_token": client.csrf_token(), "body": f"k:{vworld.committee.id}", "start_at": "2015-11-16T11:30",
            "motion": "Dictamen", "bill_step_id": "", "result": "fail", "show": "1"}
    page = client.post("/votes/events/new", data=form).get_data(as_text=True)
    ids = [p.id for p in vworld.legislators]
    assert page.count('name="vote-') == 5 and f'name="vote-{ids[5]}"' not in page
    form.pop("show")
    form.update({"save": "1", f"vote-{ids[0]}": "yes", f"vote-{ids[1]}": "on_leave"})
    response = client.post("/votes/events/new", data=form)
    assert response.status_code == 302
    event = db.session.execute(select(VoteEvent)).scalar_one()
    assert event.start_at == datetime(2015, 11, 16, 16, 30, tzinfo=UTC) and event.committee_id == vworld.committee.id
    assert dict(db.session.execute(select(Vote.legislator_id, Vote.option)).all()) == {ids[0]: "yes", ids[1]: "on_leave"}


def test_profile_loads_the_votes_panel(vworld, make_user, login_as):
    client = login_as(make_user("director"))
    page = client.get(f"/legislators/{vworld.legislators[0].id}").get_data(as_text=True)
    assert f'hx-get="/votes/legislators/{vworld.legislators[0].id}"' in page
