from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.coalition import projection as pj
from crm.coalition.projection import collected_in_window, project

TODAY = date(2026, 6, 1)


def test_already_reached_when_verified_meets_threshold():
    p = project(threshold=60_000, collected=100_000, verified=70_000, rejected=10_000, recent_collected=0, today=TODAY)
    assert p.status == pj.REACHED
    assert p.date is None


def test_pending_signatures_expected_to_cover_the_rest():
    # 50,000 verified, 10,000 rejected: 5/6 pass; 30,000 pending -> 25,000 expected -> 75,000 >= 60,000.
    p = project(threshold=60_000, collected=90_000, verified=50_000, rejected=10_000, recent_collected=0, today=TODAY)
    assert p.status == pj.AWAITING_VERIFICATION
    assert p.expected_valid == 75_000


def test_not_reached_at_this_pace_without_recent_signatures():
    p = project(threshold=60_000, collected=20_000, verified=10_000, rejected=0, recent_collected=0, today=TODAY)
    assert p.status == pj.NOT_AT_THIS_PACE
    assert p.date is None


def test_not_reached_when_nothing_passes_verification():
    p = project(threshold=100, collected=50, verified=0, rejected=50, recent_collected=2800, today=TODAY)
    assert p.status == pj.NOT_AT_THIS_PACE


def test_projected_date_at_the_pace_of_the_last_four_weeks():
    # Nothing checked yet (rate 1): 2,800 in 28 days = 100 a day; 1,000 short -> 10 days.
    p = project(threshold=11_000, collected=10_000, verified=0, rejected=0, recent_collected=2_800, today=TODAY)
    assert p.status == pj.PROJECTED
    assert p.per_day == 100
    assert p.date == TODAY + timedelta(days=10)


def test_acceptance_rate_slows_the_projection():
    # Half the checked signatures fail: expected 5,000 + 2,500 pending; pace 50 valid a day; 2,500 short -> 50 days.
    p = project(threshold=10_000, collected=15_000, verified=5_000, rejected=5_000, recent_collected=2_800, today=TODAY)
    assert p.expected_valid == 7_500
    assert p.date == TODAY + timedelta(days=50)


def test_after_deadline_is_flagged():
    p = project(threshold=11_000, collected=10_000, verified=0, rejected=0, recent_collected=2_800, today=TODAY,
                deadline=TODAY + timedelta(days=5))
    assert p.status == pj.AFTER_DEADLINE
    assert p.date == TODAY + timedelta(days=10)


def test_window_counts_only_the_last_28_days_and_not_the_future():
    batches = [(TODAY, 1), (TODAY - timedelta(days=27), 10), (TODAY - timedelta(days=28), 100), (TODAY + timedelta(days=1), 1000)]
    assert collected_in_window(batches, TODAY) == 11


def test_a_tiny_pace_means_never_not_an_overflow():
    p = project(threshold=10**9, collected=1, verified=0, rejected=0, recent_collected=1, today=TODAY)
    assert p.status == pj.NOT_AT_THIS_PACE


counts = st.integers(min_value=0, max_value=200_000)


@st.composite
def drives(draw):
    collected = draw(counts)
    verified = draw(st.integers(0, collected))
    rejected = draw(st.integers(0, collected - verified))
    return dict(
        threshold=draw(st.integers(1, 300_000)), collected=collected, verified=verified, rejected=rejected,
        recent_collected=draw(st.integers(0, collected)),
    )


@settings(max_examples=300, deadline=None)
@given(drives())
def test_projected_date_is_the_first_day_with_enough_expected_signatures(d):
    p = project(today=TODAY, **d)
    rate = pj.acceptance_rate(d["verified"], d["rejected"])
    expected = d["verified"] + (d["collected"] - d["verified"] - d["rejected"]) * rate
    per_day = d["recent_collected"] * rate / pj.WINDOW_DAYS
    if p.status in (pj.PROJECTED, pj.AFTER_DEADLINE):
        days = (p.date - TODAY).days
        assert days >= 1
        assert expected + per_day * days >= d["threshold"]
        assert expected + per_day * (days - 1) < d["threshold"]
    else:
        assert p.date is None
    if d["verified"] >= d["threshold"]:
        assert p.status == pj.REACHED
    else:
        assert p.status != pj.REACHED


@settings(max_examples=300, deadline=None)
@given(drives(), st.integers(1, 50_000))
def test_a_faster_recent_pace_never_delays_the_date(d, extra):
    slow = project(today=TODAY, **d)
    fast = project(today=TODAY, **{**d, "recent_collected": d["recent_collected"] + extra})
    if slow.date is not None:
        assert fast.date is not None and fast.date <= slow.date
    if slow.status in (pj.REACHED, pj.AWAITING_VERIFICATION):
        assert fast.status == slow.status


@settings(max_examples=200, deadline=None)
@given(drives())
def test_expected_valid_lies_between_verified_and_verified_plus_pending(d):
    p = project(today=TODAY, **d)
    pending = d["collected"] - d["verified"] - d["rejected"]
    assert d["verified"] <= p.expected_valid <= d["verified"] + pending
