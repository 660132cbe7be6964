"""The forecast's confusion table and the scorecard agree with a plain-Python reference on random votes.

Each example builds a chamber whose seats may have ended before the vote, random stance histories around the
vote's instant (some exactly at it), and random votes (some members do not vote, some voters no longer sit).
"""

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.campaigns.models import LIKELY, STANCE_LEVELS, Campaign
from crm.campaigns.operations import record_stance
from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import Chamber, Legislator, Legislature, SeatMembership
from crm.votes import accuracy, operations
from crm.votes.models import VOTE_OPTIONS
from crm.votes.queries import forecast as forecast_queries
from crm.votes.queries import scorecards as scorecard_queries

TZ = "America/Lima"
VOTE_AT = datetime(2015, 11, 16, 16, 30, tzinfo=UTC)
VOTE_DAY = date(2015, 11, 16)
LEVELS = [lv for lv in STANCE_LEVELS if lv != "unknown"]

person = st.fixed_dictionaries({
    "seat_ends": st.one_of(st.none(), st.sampled_from([VOTE_DAY - timedelta(days=1), VOTE_DAY, VOTE_DAY + timedelta(days=1)])),
    "stances": st.lists(st.tuples(st.sampled_from(LEVELS), st.integers(-72, 24), st.integers(0, 100)), max_size=3),
    "votes": st.lists(st.one_of(st.none(), st.sampled_from(VOTE_OPTIONS)), min_size=3, max_size=3),
})
worlds = st.fixed_dictionaries({
    "people": st.lists(person, min_size=1, max_size=10),
    "positions": st.lists(st.sampled_from(["yes", "no"]), min_size=3, max_size=3),
})
_counter = [0]


def ref_outcome(option):
    return option if option in ("yes", "no", "abstain") else "absent"


def build(world):
    _counter[0] += 1
    n = _counter[0]
    legislature = Legislature(name=f"L{n}", country="PE")
    db.session.add(legislature)
    db.session.flush()
    chamber = Chamber(legislature_id=legislature.id, name=f"C{n}", seats=len(world["people"]))
    campaign = Campaign(name=f"K{n}")
    db.session.add_all([chamber, campaign])
    db.session.flush()
    people = []
    for i, p in enumerate(world["people"]):
        name = f"P{n}-{i}"
        leg = Legislator(full_name=name, sort_name=name, search_name=fold(name))
        db.session.add(leg)
        db.session.flush()
        db.session.add(SeatMembership(legislator_id=leg.id, chamber_id=chamber.id, start_date=date(2011, 7, 27),
                                      end_date=p["seat_ends"]))
        history = []
        for level, hours, confidence in p["stances"]:
            when = VOTE_AT + timedelta(hours=hours)
            a = record_stance(campaign_id=campaign.id, legislator_id=leg.id, level=level, actor=None,
                              assessed_at=when, confidence=confidence)
            history.append((when, a.id, level, confidence))
        people.append((leg.id, p, history))
    events = []
    for k in range(3):
        votes = {lid: p["votes"][k] for lid, p, _h in people if p["votes"][k] is not None}
        events.append(operations.record_vote_event(source_key=f"prop-{n}-{k}", start_at=VOTE_AT + timedelta(minutes=k),
                                                   motion="m", votes=votes, actor=None, chamber_id=chamber.id))
    db.session.flush()
    return campaign, people, events


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world=worlds)
def test_confusion_table_and_scorecard_agree_with_the_reference(app, world):
    campaign, people, events = build(world)
    event = events[0]
    # --- reference forecast
    table = {lv: dict.fromkeys(("yes", "no", "abstain", "absent"), 0) for lv in STANCE_LEVELS}
    right_count = scored = 0
    surprises = set()
    for lid, p, history in people:
        sitting = p["seat_ends"] is None or p["seat_ends"] >= VOTE_DAY
        option = p["votes"][0]
        if not sitting and option is None:
            continue
        before = [h for h in history if h[0] < event.start_at]
        level = max(before, key=lambda h: (h[0], h[1]))[2] if before else "unknown"
        outcome = ref_outcome(option)
        table[level][outcome] += 1
        if level in LIKELY or level in ("leaning_no", "opposed", "hard_opposed"):
            scored += 1
            ok = (outcome == "yes") == (level in LIKELY)
            right_count += ok
            if not ok:
                surprises.add(lid)
    result = accuracy.compute(forecast_queries.members(event, campaign.id, TZ))
    assert result.table == table
    assert sum(n for _l, n, _r in result.calibration) == scored
    assert sum(r for _l, _n, r in result.calibration) == right_count
    assert {m.legislator_id for m in result.surprises} == surprises
    # --- reference scorecard
    positions = dict(zip([e.id for e in events], world["positions"], strict=True))
    card = operations.create_scorecard(name="f", items=positions, actor=None)
    want = {}
    for lid, p, _h in people:
        tally = [0, 0, 0]
        for k, e in enumerate(events):
            option = p["votes"][k]
            if option is None:
                continue
            if option in ("yes", "no", "abstain"):
                tally[1] += 1
                tally[0] += option == positions[e.id]
            else:
                tally[2] += 1
        if any(p["votes"][k] is not None for k in range(3)):
            want[lid] = tuple(tally)
    got = {r.legislator_id: (r.our_way, r.cast, r.absences) for r in scorecard_queries.rows(card.id, VOTE_DAY)}
    assert got == want
