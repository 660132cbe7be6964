"""Vote arithmetic for a stage's rule. Pure functions: no database, no Flask.

Rules:
- simple_majority: more than half of those present; presence is estimated from an expected attendance %.
- absolute_majority: more than half of the legal number of seats (66 of 130).
- fraction: at least numerator/denominator of the legal seats, rounded up (2/3 of 130 = 87; 3/5 of 130 = 78).
- fixed: a set number of votes (never more than the seats).
"""

from dataclasses import dataclass

RULE_KINDS = ("simple_majority", "absolute_majority", "fraction", "fixed")


def expected_present(seats: int, attendance_pct: int | None) -> int:
    """Members expected in the room; full attendance when no estimate is given."""
    seats = max(0, int(seats))
    pct = 100 if attendance_pct is None else min(100, max(0, int(attendance_pct)))
    # Integer maths (no float rounding): round half up.
    return min(seats, (seats * pct + 50) // 100)


def majority_of(count: int) -> int:
    """Smallest number that is more than half of `count` (0 when nobody votes)."""
    count = max(0, int(count))
    return count // 2 + 1 if count else 0


def fraction_of(seats: int, numerator: int, denominator: int) -> int:
    """At least numerator/denominator of the seats, rounded up, never above the seats."""
    seats = max(0, int(seats))
    if denominator <= 0 or numerator <= 0:
        raise ValueError("the fraction needs positive numbers")
    if numerator > denominator:
        raise ValueError("the fraction cannot exceed 1")
    return min(seats, -(-seats * numerator // denominator))


def votes_needed(
    rule_kind: str,
    seats: int,
    *,
    attendance_pct: int | None = None,
    numerator: int | None = None,
    denominator: int | None = None,
    fixed: int | None = None,
) -> int:
    """Yes votes a stage needs under its rule."""
    seats = max(0, int(seats))
    if rule_kind == "simple_majority":
        return min(seats, majority_of(expected_present(seats, attendance_pct)))
    if rule_kind == "absolute_majority":
        return min(seats, majority_of(seats))
    if rule_kind == "fraction":
        return fraction_of(seats, numerator or 0, denominator or 0)
    if rule_kind == "fixed":
        return min(seats, max(0, int(fixed or 0)))
    raise ValueError(f"unknown rule kind: {rule_kind}")


@dataclass(frozen=True)
class Projection:
    """What the count looks like on the day, given who is expected to turn up."""

    present: int
    needed: int
    projected_yes: int
    gap: int  # votes still missing (0 when the projection carries the vote)


def project(
    rule_kind: str,
    seats: int,
    likely_yes: int,
    *,
    attendance_pct: int | None = None,
    numerator: int | None = None,
    denominator: int | None = None,
    fixed: int | None = None,
) -> Projection:
    """Assume our likely votes attend at the same rate as everyone else.

    Under a simple majority fewer people present lowers the bar; under the other rules absences only
    cost votes, because the bar is fixed by the legal number of seats.
    """
    seats = max(0, int(seats))
    present = expected_present(seats, attendance_pct)
    likely_yes = min(max(0, int(likely_yes)), seats)
    projected_yes = min(present, expected_present(likely_yes, attendance_pct))
    needed = votes_needed(
        rule_kind, seats, attendance_pct=attendance_pct, numerator=numerator, denominator=denominator, fixed=fixed
    )
    return Projection(present=present, needed=needed, projected_yes=projected_yes, gap=max(0, needed - projected_yes))


def gap(needed: int, have: int) -> int:
    """Votes still missing; 0 once the target is reached."""
    return max(0, int(needed) - int(have))
