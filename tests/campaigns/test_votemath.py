"""Vote rules: worked numbers and properties that must hold for any chamber."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.campaigns import votemath

seats_st = st.integers(min_value=1, max_value=10_000)
pct_st = st.integers(min_value=0, max_value=100)
fraction_st = st.tuples(st.integers(1, 20), st.integers(1, 20)).filter(lambda f: f[0] <= f[1])


def test_worked_examples_peru_130_seats():
    assert votemath.votes_needed("absolute_majority", 130) == 66
    assert votemath.votes_needed("fraction", 130, numerator=2, denominator=3) == 87
    assert votemath.votes_needed("fraction", 130, numerator=3, denominator=5) == 78
    assert votemath.votes_needed("absolute_majority", 60) == 31


def test_simple_majority_counts_those_present():
    # 130 seats, 80 % expected: 104 present, 53 needed.
    assert votemath.expected_present(130, 80) == 104
    assert votemath.votes_needed("simple_majority", 130, attendance_pct=80) == 53
    # Full attendance when no estimate is given.
    assert votemath.votes_needed("simple_majority", 130) == 66
    assert votemath.votes_needed("simple_majority", 131, attendance_pct=100) == 66


def test_fixed_number_is_capped_by_seats():
    assert votemath.votes_needed("fixed", 130, fixed=40) == 40
    assert votemath.votes_needed("fixed", 30, fixed=40) == 30


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        votemath.votes_needed("acclamation", 130)
    with pytest.raises(ValueError):
        votemath.votes_needed("fraction", 130, numerator=4, denominator=3)


def test_projection_under_absolute_majority_loses_absent_votes():
    projection = votemath.project("absolute_majority", 130, 70, attendance_pct=90)
    assert projection.needed == 66
    assert projection.projected_yes == 63
    assert projection.gap == 3


def test_projection_under_simple_majority_lowers_the_bar():
    projection = votemath.project("simple_majority", 130, 50, attendance_pct=70)
    assert projection.present == 91
    assert projection.needed == 46
    assert projection.projected_yes == 35
    assert projection.gap == 11


@settings(deadline=None)
@given(seats=seats_st, pct=pct_st)
def test_simple_majority_never_exceeds_seats(seats, pct):
    needed = votemath.votes_needed("simple_majority", seats, attendance_pct=pct)
    present = votemath.expected_present(seats, pct)
    assert needed <= seats
    assert present == 0 or 2 * needed > present  # a majority of those present
    assert (needed > 0) == (present > 0)


@settings(deadline=None)
@given(seats=seats_st, low=pct_st, high=pct_st)
def test_votes_needed_never_decrease_as_attendance_grows(seats, low, high):
    low, high = sorted((low, high))
    assert votemath.votes_needed("simple_majority", seats, attendance_pct=low) <= votemath.votes_needed(
        "simple_majority", seats, attendance_pct=high
    )


@settings(deadline=None)
@given(seats=seats_st)
def test_absolute_majority_is_more_than_half_of_the_seats(seats):
    needed = votemath.votes_needed("absolute_majority", seats)
    assert needed <= seats
    assert 2 * needed > seats
    assert 2 * (needed - 1) <= seats


@settings(deadline=None)
@given(seats=seats_st, fraction=fraction_st)
def test_fraction_is_the_smallest_count_reaching_it(seats, fraction):
    num, den = fraction
    needed = votemath.votes_needed("fraction", seats, numerator=num, denominator=den)
    assert needed <= seats
    assert needed * den >= seats * num
    assert (needed - 1) * den < seats * num


@settings(deadline=None)
@given(seats=seats_st, fixed=st.integers(0, 20_000), pct=pct_st)
def test_no_rule_needs_more_votes_than_seats(seats, fixed, pct):
    for kind in votemath.RULE_KINDS:
        needed = votemath.votes_needed(kind, seats, attendance_pct=pct, numerator=2, denominator=3, fixed=fixed)
        assert 0 <= needed <= seats


@settings(deadline=None)
@given(seats=seats_st, pct=pct_st, data=st.data())
def test_projection_is_consistent(seats, pct, data):
    likely = data.draw(st.integers(0, seats))
    for kind in votemath.RULE_KINDS:
        p = votemath.project(kind, seats, likely, attendance_pct=pct, numerator=3, denominator=5, fixed=seats // 2)
        assert 0 <= p.projected_yes <= min(likely, p.present)
        assert p.gap == max(0, p.needed - p.projected_yes)


@settings(deadline=None)
@given(seats=seats_st, pct=pct_st, more=st.integers(0, 100))
def test_more_likely_votes_never_widen_the_gap(seats, pct, more):
    base = votemath.project("absolute_majority", seats, seats // 3, attendance_pct=pct)
    better = votemath.project("absolute_majority", seats, min(seats, seats // 3 + more), attendance_pct=pct)
    assert better.gap <= base.gap
