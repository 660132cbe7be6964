"""Whip counts of many stages at once, for summaries such as the home page.

Each stage is counted exactly as whip_count counts it (the same sitting members on the day, the same stance as
of the day's cutoff, the same seats and votes needed), but only the per-level totals come back, in one
statement whatever the number of campaigns and stages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, literal_column, select, union_all

from crm.campaigns import stance, votemath
from crm.campaigns.models import Campaign, VoteStage
from crm.campaigns.queries.common import Body, _members_of, secured_of
from crm.campaigns.queries.stages import bodies_of, needed_for, stages_select
from crm.extensions import db

TREND_DAYS = 7


def count_day(stage: VoteStage, today: date) -> date:
    """The day the whip page counts when no day is asked for: today, or the vote day of a stage already past."""
    return stage.target_date if stage.target_date is not None and stage.target_date < today else today


@dataclass
class StageTally:
    body: Body
    day: date
    counts: Counter = field(default_factory=Counter)
    before: Counter = field(default_factory=Counter)
    seats: int = 0
    needed: int = 0

    @property
    def stage(self) -> VoteStage:
        return self.body.stage

    @property
    def secured(self) -> int:
        return secured_of(self.counts)

    @property
    def secured_before(self) -> int:
        return secured_of(self.before)

    @property
    def trend(self) -> int:
        """Secured votes gained (or lost, negative) since TREND_DAYS before the day counted."""
        return self.secured - self.secured_before

    @property
    def trend_since(self) -> date:
        return self.day - timedelta(days=TREND_DAYS)

    @property
    def gap(self) -> int:
        return votemath.gap(self.needed, self.secured)

    def voted(self, today: date) -> bool:
        return self.stage.target_date is not None and self.stage.target_date < today


def campaign_bodies(campaign_ids=None) -> list[tuple[Campaign, list[Body]]]:
    """Active campaigns (or only those of `campaign_ids`) with their stages in order; one statement."""
    statement = stages_select().where(Campaign.status == "active")
    if campaign_ids is not None:
        statement = statement.where(Campaign.id.in_(list(campaign_ids)))
    rows = db.session.execute(statement.order_by(Campaign.name, Campaign.id, VoteStage.position, VoteStage.id)).all()
    grouped: dict[int, tuple[Campaign, list]] = {}
    for row in rows:
        entry = grouped.setdefault(row[0].id, (row[0], []))
        if row[1] is not None:
            entry[1].append(row[1:])
    return [(campaign, bodies_of(stage_rows)) for campaign, stage_rows in grouped.values()]


def _part(body: Body, day: date, tz_name: str | None, period: int):
    """(stage_id, period, legislator_id, level) for one stage's members on one day."""
    stage = body.stage
    members = _members_of(bool(stage.committee_id), stage.committee_id or stage.chamber_id or -1, day)
    lid = members.c.legislator_id
    cutoff = stance.cutoff_for_day(day, tz_name)
    # Ids are integers from the database: inlined, they keep each part's columns typed alike on every dialect.
    return select(
        literal_column(str(int(stage.id))).label("stage_id"),
        literal_column(str(int(period))).label("period"),
        lid.label("legislator_id"),
        stance.latest_level(stage.campaign_id, lid, cutoff, members).label("level"),
    ).select_from(members)


def stage_tallies(bodies: list[Body], today: date, tz_name: str | None) -> list[StageTally]:
    """Each body's count on its whip-page day and TREND_DAYS earlier, in one statement."""
    tallies = [StageTally(body, count_day(body.stage, today)) for body in bodies]
    if not tallies:
        return []
    parts = [
        _part(t.body, t.day - timedelta(days=TREND_DAYS * period), tz_name, period)
        for t in tallies
        for period in (0, 1)
    ]
    rows = union_all(*parts).subquery("tallied") if len(parts) > 1 else parts[0].subquery("tallied")
    # A legislator listed twice (overlapping memberships) counts once, as on the whip page.
    found = db.session.execute(
        select(rows.c.stage_id, rows.c.period, rows.c.level, func.count(func.distinct(rows.c.legislator_id)))
        .group_by(rows.c.stage_id, rows.c.period, rows.c.level)
    ).all()
    counted: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for stage_id, period, level, n in found:
        counted[(int(stage_id), int(period))][level or stance.UNKNOWN] += n
    for t in tallies:
        t.counts = counted[(t.stage.id, 0)]
        t.before = counted[(t.stage.id, 1)]
        t.seats = t.body.legal_seats or sum(t.counts.values())
        t.needed = needed_for(t.stage, t.seats)
    return tallies
