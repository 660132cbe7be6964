"""When will a petition drive reach its legal threshold? Pure maths, no database.

The threshold counts verified signatures. Unverified (pending) signatures are expected to pass at the
acceptance rate seen so far, and new signatures keep arriving at the pace of the last four weeks.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import ceil

WINDOW_DAYS = 28
# Beyond a century "at this pace" means never, and dates would overflow.
MAX_DAYS = 36_500

REACHED = "reached"  # verified signatures already meet the threshold
AWAITING_VERIFICATION = "awaiting_verification"  # pending signatures are expected to cover the rest
PROJECTED = "projected"  # reached on `date` at the recent pace
AFTER_DEADLINE = "after_deadline"  # reached on `date`, but only after the deadline
NOT_AT_THIS_PACE = "not_at_this_pace"  # nothing collected recently (or nothing passes verification)


@dataclass(frozen=True)
class Projection:
    status: str
    date: dt.date | None = None
    per_day: float = 0.0  # expected valid signatures per day at the recent pace
    expected_valid: int = 0  # verified plus the pending share expected to pass
    acceptance_rate: float = 1.0


def collected_in_window(batches, today: date, window_days: int = WINDOW_DAYS) -> int:
    """Signatures collected in the `window_days` days ending today (inclusive); future dates do not count."""
    start = today - timedelta(days=window_days - 1)
    return sum(count for day, count in batches if start <= day <= today)


def acceptance_rate(verified: int, rejected: int) -> Fraction:
    """Share of checked signatures that passed; 1 until anything has been checked."""
    checked = verified + rejected
    return Fraction(verified, checked) if checked else Fraction(1)


def project(
    *,
    threshold: int,
    collected: int,
    verified: int,
    rejected: int,
    recent_collected: int,
    today: date,
    deadline: date | None = None,
    window_days: int = WINDOW_DAYS,
) -> Projection:
    rate = acceptance_rate(verified, rejected)
    pending = max(0, collected - verified - rejected)
    expected = verified + pending * rate
    per_day = Fraction(recent_collected) * rate / window_days
    common = {"per_day": float(per_day), "expected_valid": int(expected), "acceptance_rate": float(rate)}
    if verified >= threshold:
        return Projection(REACHED, **common)
    if expected >= threshold:
        return Projection(AWAITING_VERIFICATION, **common)
    if per_day <= 0:
        return Projection(NOT_AT_THIS_PACE, **common)
    days = ceil((threshold - expected) / per_day)
    if days > MAX_DAYS:
        return Projection(NOT_AT_THIS_PACE, **common)
    when = today + timedelta(days=days)
    status = AFTER_DEADLINE if deadline is not None and when > deadline else PROJECTED
    return Projection(status, date=when, **common)
