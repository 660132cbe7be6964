"""Every page agrees with one small reference, written here in plain Python, on random legislatures.

Each example builds a legislature with terms, seats that start in the future or ended in the past, group
switches, committee changes, random stance histories and random meetings. Then the whip count (today and as of
a past day), the targets, the whip list page and its CSV export, going cold, the daily digest's going-cold list
and the directory's "sitting" filter must each name exactly the people the reference names, with the same levels.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from crm.campaigns import queries
from crm.campaigns.labels import STANCE
from crm.campaigns.models import PERSUADABLE, STANCE_LEVELS, Campaign, StanceAssessment, VoteStage
from crm.campaigns.stance import cutoff_for_day
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    LegislativeTerm,
    Legislator,
    Legislature,
    SeatMembership,
)
from crm.legislature.queries import DirectoryFilters, directory_rows
from crm.outreach.models import Interaction, interaction_legislators
from crm.outreach.queries import going_cold
from crm.reminders.digests import going_cold_rows
from tests.conftest import login

TZ = "America/Lima"
LEVELS = [lv for lv in STANCE_LEVELS if lv != "unknown"]

# --- the random world -------------------------------------------------------------------------------------

day_offset = st.integers(min_value=-400, max_value=60)
span = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


@st.composite
def tenures(draw, max_size=2):
    """(start offset or None, length in days or None): a tenure relative to today."""
    return draw(st.lists(st.tuples(st.one_of(st.none(), day_offset), span), max_size=max_size))


@st.composite
def people(draw):
    return {
        "seats": draw(st.lists(st.tuples(st.integers(0, 1), st.one_of(st.none(), day_offset), span), max_size=2)),
        "groups": draw(st.lists(st.tuples(st.integers(0, 2), st.one_of(st.none(), day_offset), span), max_size=2)),
        "committees": draw(tenures()),
        # (level, minutes before now): 0 is "right now", so ties at the same instant are drawn too.
        "stances": draw(st.lists(
            st.tuples(st.sampled_from(LEVELS), st.sampled_from([0, 1, 60, 1440, 1441, 10080, 43200, 100000])),
            max_size=4,
        )),
        # (days before now, deleted): negative days are meetings still to come.
        "meetings": draw(st.lists(st.tuples(st.integers(-5, 60), st.booleans()), max_size=3)),
    }


worlds = st.fixed_dictionaries({
    "people": st.lists(people(), min_size=1, max_size=7),
    "term_end": st.one_of(st.none(), st.integers(min_value=-30, max_value=400)),
    "going_cold_days": st.integers(min_value=1, max_value=40),
    "past_days": st.integers(min_value=1, max_value=60),
    "second_chamber_stage": st.booleans(),
})


# --- the reference ----------------------------------------------------------------------------------------


def active(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or end >= day)


@dataclass
class Built:
    today: date
    now: datetime
    campaign_id: int
    stages: list  # (stage, kind, body_index)
    legislators: list[int]
    seats: dict = field(default_factory=dict)  # legislator_id -> [(chamber_index, start, end)]
    committees: dict = field(default_factory=dict)  # legislator_id -> [(start, end)]
    stances: dict = field(default_factory=dict)  # legislator_id -> [(assessed_at, id, level)]
    contacts: dict = field(default_factory=dict)  # legislator_id -> [starts_at] (not deleted)
    going_cold_days: int = 21
    past_days: int = 7
    legislature_id: int = 0
    interactions: list = field(default_factory=list)


def ref_members(built: Built, kind: str, body: int, day: date) -> set[int]:
    if kind == "committee":
        return {lid for lid, rows in built.committees.items() if any(active(s, e, day) for s, e in rows)}
    return {lid for lid, rows in built.seats.items() if any(c == body and active(s, e, day) for c, s, e in rows)}


def ref_stance(built: Built, legislator_id: int, cutoff: datetime | None) -> str:
    counted = [row for row in built.stances.get(legislator_id, []) if cutoff is None or row[0] < cutoff]
    return max(counted)[2] if counted else "unknown"


def ref_going_cold(built: Built) -> set[int]:
    """Persuadable people sitting now in a chamber one of the stages votes in, not met within the window."""
    voters = set()
    for _stage, kind, body in built.stages:
        chamber = 0 if kind == "committee" else body
        voters |= ref_members(built, "chamber", chamber, built.today)
    window_start = built.now - timedelta(days=built.going_cold_days)
    cold = set()
    for lid in voters:
        if ref_stance(built, lid, None) not in PERSUADABLE:
            continue
        met = [t for t in built.contacts.get(lid, []) if t <= built.now]
        if not met or max(met) < window_start:
            cold.add(lid)
    return cold


# --- building the world in the database -------------------------------------------------------------------


def _dates(today, start_offset, length, term):
    start = today + timedelta(days=start_offset) if start_offset is not None else term.start_date
    end = (start or today) + timedelta(days=length) if length is not None else term.end_date
    return start, end


def build(world, today: date, now: datetime) -> Built:
    serial = next(_serial)
    legislature = Legislature(name=f"Asamblea {serial}", country="ZZ")
    db.session.add(legislature)
    db.session.flush()
    term_end = today + timedelta(days=world["term_end"]) if world["term_end"] is not None else None
    term = LegislativeTerm(legislature_id=legislature.id, label="T", start_date=today - timedelta(days=500),
                           end_date=term_end)
    chambers = [Chamber(legislature_id=legislature.id, name=f"Cámara {i}", seats=9) for i in range(2)]
    groups = [Group(legislature_id=legislature.id, kind="bancada", name=f"Bancada {i}") for i in range(3)]
    db.session.add_all([term, *chambers, *groups])
    db.session.flush()
    committee = Committee(chamber_id=chambers[0].id, name="Comisión")
    campaign = Campaign(name=f"Campaña {serial}", legislature_id=legislature.id, going_cold_days=world["going_cold_days"],
                        status="active")
    db.session.add_all([committee, campaign])
    db.session.flush()
    stages = [
        (VoteStage(campaign_id=campaign.id, position=1, name="Comisión", committee_id=committee.id), "committee", 0),
        (VoteStage(campaign_id=campaign.id, position=2, name="Pleno", chamber_id=chambers[0].id), "chamber", 0),
    ]
    if world["second_chamber_stage"]:
        stages.append((VoteStage(campaign_id=campaign.id, position=3, name="Senado", chamber_id=chambers[1].id),
                       "chamber", 1))
    db.session.add_all([s for s, _, _ in stages])
    built = Built(today, now, campaign.id, stages, [], going_cold_days=world["going_cold_days"],
                  legislature_id=legislature.id)
    for index, person in enumerate(world["people"]):
        _add_person(built, index, person, term, chambers, groups, committee)
    db.session.flush()
    return built


def _add_person(built, index, person, term, chambers, groups, committee):
    today, now = built.today, built.now
    legislator = Legislator(full_name=f"Persona {index:02d}", sort_name=f"Persona {index:02d}",
                            search_name=f"persona {index:02d}")
    db.session.add(legislator)
    db.session.flush()
    lid = legislator.id
    built.legislators.append(lid)
    for chamber_index, start_offset, length in person["seats"]:
        start, end = _dates(today, start_offset, length, term)
        db.session.add(SeatMembership(legislator_id=lid, chamber_id=chambers[chamber_index].id, term_id=term.id,
                                      start_date=start, end_date=end))
        built.seats.setdefault(lid, []).append((chamber_index, start, end))
    for group_index, start_offset, length in person["groups"]:
        start, end = _dates(today, start_offset, length, term)
        db.session.add(GroupMembership(legislator_id=lid, group_id=groups[group_index].id, start_date=start,
                                       end_date=end))
    for start_offset, length in person["committees"]:
        start, end = _dates(today, start_offset, length, term)
        db.session.add(CommitteeMembership(legislator_id=lid, committee_id=committee.id, role="member",
                                           start_date=start, end_date=end))
        built.committees.setdefault(lid, []).append((start, end))
    for level, minutes in person["stances"]:
        row = StanceAssessment(campaign_id=built.campaign_id, legislator_id=lid, level=level,
                               assessed_at=now - timedelta(minutes=minutes))
        db.session.add(row)
        db.session.flush()
        built.stances.setdefault(lid, []).append((row.assessed_at, row.id, level))
    for days_before, deleted in person["meetings"]:
        starts_at = now - timedelta(days=days_before)
        meeting = Interaction(kind="meeting", starts_at=starts_at, created_at=now,
                              deleted_at=now if deleted else None)
        db.session.add(meeting)
        db.session.flush()
        db.session.execute(interaction_legislators.insert().values(interaction_id=meeting.id, legislator_id=lid))
        built.interactions.append(meeting.id)
        if not deleted:
            built.contacts.setdefault(lid, []).append(starts_at)


def test_reference_rule_is_inclusive_at_both_ends_and_open_when_missing():
    day = date(2026, 7, 26)
    assert active(date(2021, 7, 27), day, day) and not active(date(2021, 7, 27), day, day + timedelta(days=1))
    assert active(None, None, day) and not active(day + timedelta(days=1), None, day)


def now_and_today():
    now = datetime.now(UTC).replace(microsecond=0)
    return now, local_today(TZ, now)


def midday(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), tzinfo=UTC)


# --- the property -----------------------------------------------------------------------------------------

_serial = iter(range(1, 1_000_000))


def _whip_ids_and_levels(count) -> dict[int, str]:
    return {m.id: m.level for m in count.members}


def _export_levels(client, campaign_id, stage_id) -> dict[str, str]:
    response = client.get(f"/campaigns/{campaign_id}/export.csv", query_string={"stage": stage_id})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    return {row[0]: row[3] for row in rows[1:]}


def _check_stage(built, client, campaign, body, kind, index, level_words):
    today, now = built.today, built.now
    names = {lid: f"Persona {n:02d}" for n, lid in enumerate(built.legislators)}
    expected = ref_members(built, kind, index, today)
    count = queries.whip_count(campaign, body, today, cutoff_for_day(today, TZ))
    got = _whip_ids_and_levels(count)
    want = {lid: ref_stance(built, lid, None) for lid in expected}
    assert got == want, "whip count today"
    assert sum(count.counts.values()) == len(expected)
    assert dict(count.counts) == {lv: Counter(want.values())[lv] for lv in STANCE_LEVELS}
    assert {m.id for m in queries.targets(count.members)} == {i for i, lv in want.items() if lv in PERSUADABLE}
    past = today - timedelta(days=built.past_days)
    cutoff = cutoff_for_day(past, TZ)
    past_count = queries.whip_count(campaign, body, past, cutoff)
    assert _whip_ids_and_levels(past_count) == {
        lid: ref_stance(built, lid, cutoff) for lid in ref_members(built, kind, index, past)
    }, "whip count as of a past day"
    exported = _export_levels(client, campaign.id, body.stage.id)
    assert exported == {names[lid]: level_words[level] for lid, level in want.items()}, "CSV export"
    html = client.get(f"/campaigns/{campaign.id}/list", query_string={"stage": body.stage.id}).get_data(as_text=True)
    listed = {lid for lid, name in names.items() if f">{name}<" in html}
    assert listed == expected, "whip list page"
    assert now  # the instant every check above shares


@pytest.fixture
def director(make_user):
    """One director for every example of the run: function fixtures are set up once per hypothesis test."""
    return make_user("director", timezone=TZ)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=worlds)
def test_every_page_agrees_with_the_reference(world, client, director):
    login(client, director)
    now, today = now_and_today()
    built = build(world, today, now)
    built.past_days = world["past_days"]
    try:
        _check_world(built, client, now, today)
    finally:
        _remove(built)


def _remove(built: Built) -> None:
    """Drop the example's rows (the database cascades), so tables stay small across 200 examples."""
    db.session.rollback()
    db.session.execute(delete(Interaction).where(Interaction.id.in_(built.interactions or [-1])))
    db.session.execute(delete(Campaign).where(Campaign.id == built.campaign_id))
    db.session.execute(delete(Legislator).where(Legislator.id.in_(built.legislators or [-1])))
    db.session.execute(delete(Legislature).where(Legislature.id == built.legislature_id))
    db.session.commit()


def _check_world(built, client, now, today):
    campaign, bodies = queries.campaign_with_bodies(built.campaign_id)
    level_words = STANCE.translated()
    for body, (_stage, kind, index) in zip(bodies, built.stages, strict=True):
        _check_stage(built, client, campaign, body, kind, index, level_words)

    cold = ref_going_cold(built)
    assert {row.legislator_id for row in going_cold(built.campaign_id, now, today)} == cold, "going-cold page"
    digest = {line.legislator_id for _owner, line in going_cold_rows(now) if line.campaign == campaign.name}
    assert digest == cold, "daily digest"

    legislature_id = campaign.legislature_id
    rows = directory_rows(DirectoryFilters(status="active", legislature=legislature_id), today)
    sitting_today = {lid for lid, seats in built.seats.items() if any(active(s, e, today) for _c, s, e in seats)}
    assert {row[0].id for row in rows} == sitting_today, "directory's sitting filter"
