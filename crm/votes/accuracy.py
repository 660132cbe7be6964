"""The forecast against the outcome, as plain Python over one row per member: no database here, so the same
function serves the page, the export and the property tests.

A forecast is the stance level as of the vote's instant (crm.campaigns.stance). Levels in LIKELY forecast a yes;
leaning no, opposed and hard opposed forecast a not-yes; undecided and unknown forecast nothing and are not
scored. A scored forecast is right when a forecast yes voted yes, or a forecast not-yes did not vote yes.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from crm.campaigns.models import LIKELY, SECURED, STANCE_LEVELS
from crm.votes.models import OUTCOMES, outcome_of

AGAINST = ("leaning_no", "opposed", "hard_opposed")
OPPOSED = ("opposed", "hard_opposed")
# Confidence bands for the calibration table: (label, lowest, highest), both inclusive.
BANDS = (("0–49", 0, 49), ("50–69", 50, 69), ("70–89", 70, 89), ("90–100", 90, 100))


@dataclass
class Member:
    legislator_id: int
    name: str
    level: str | None  # None: no assessment before the vote (unknown)
    option: str | None  # None: no recorded vote (absent)
    confidence: int | None = None
    owner_id: int | None = None
    owner: str | None = None
    group: str | None = None
    last_meeting: object = None
    owner_partner_id: int | None = None  # the partner organisation owning the relationship, if any


@dataclass
class Forecast:
    table: dict  # {level: {outcome: n}}
    row_totals: dict
    column_totals: dict
    total: int
    secured: int
    secured_yes: int
    opposed: int
    opposed_no: int
    actual_yes: int
    surprises: list = field(default_factory=list)
    by_owner: list = field(default_factory=list)  # (owner name or None, scored, right)
    calibration: list = field(default_factory=list)  # (band label, scored, right)


def predicts(level: str | None) -> str | None:
    level = level or "unknown"
    if level in LIKELY:
        return "yes"
    if level in AGAINST:
        return "not_yes"
    return None


def is_right(level: str | None, option: str | None) -> bool | None:
    """True/False for a scored forecast, None when the level forecasts nothing."""
    expected = predicts(level)
    if expected is None:
        return None
    voted_yes = outcome_of(option) == "yes"
    return voted_yes if expected == "yes" else not voted_yes


def band_of(confidence: int | None) -> str:
    value = 50 if confidence is None else max(0, min(100, int(confidence)))
    return next(label for label, low, high in BANDS if low <= value <= high)


def compute(members: list[Member]) -> Forecast:
    table = {level: dict.fromkeys(OUTCOMES, 0) for level in STANCE_LEVELS}
    owners = defaultdict(lambda: [0, 0])
    bands = {label: [0, 0] for label, _l, _h in BANDS}
    surprises = []
    for m in members:
        level, outcome = m.level or "unknown", outcome_of(m.option)
        table[level][outcome] += 1
        right = is_right(level, m.option)
        if right is None:
            continue
        for tally in (owners[(m.owner or "", m.owner_id)], bands[band_of(m.confidence)]):
            tally[0] += 1  # scored
            tally[1] += bool(right)  # right
        if not right:
            surprises.append(m)
    column_totals = {o: sum(table[lv][o] for lv in STANCE_LEVELS) for o in OUTCOMES}
    surprises.sort(key=lambda m: (STANCE_LEVELS.index(m.level or "unknown"), m.name))
    return Forecast(
        table=table, row_totals={lv: sum(table[lv].values()) for lv in STANCE_LEVELS}, column_totals=column_totals,
        total=len(members),
        secured=sum(table[lv][o] for lv in SECURED for o in OUTCOMES), secured_yes=sum(table[lv]["yes"] for lv in SECURED),
        opposed=sum(table[lv][o] for lv in OPPOSED for o in OUTCOMES), opposed_no=sum(table[lv]["no"] for lv in OPPOSED),
        actual_yes=column_totals["yes"], surprises=surprises,
        by_owner=sorted(((name or None, n, r) for (name, _i), (n, r) in owners.items()), key=lambda t: (t[0] is None, t[0] or "")),
        calibration=[(label, *bands[label]) for label, _l, _h in BANDS],
    )
