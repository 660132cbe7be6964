"""Campaigns and their stages: the bodies that vote, and the campaign list with each headline count."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, func, select, union_all
from sqlalchemy.orm import aliased

from crm.campaigns import stance, votemath
from crm.campaigns.models import Campaign, VoteStage
from crm.campaigns.queries.common import Body, _prebuilt, likely_of, secured_of
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    SeatMembership,
    active_on,
)

# Built once: an alias made per call costs its column adaptation again on every request.
COMMITTEE_CHAMBER = aliased(Chamber, name="committee_chamber")

# --- campaigns and stages ------------------------------------------------------------------------------


def get_campaign(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def stages_select():
    """Campaigns with each stage and the chamber or committee it targets (rows for bodies_of); outer joined."""
    return (
        select(
            Campaign, VoteStage, Chamber.name, Chamber.seats, Committee.name, Committee.chamber_id, COMMITTEE_CHAMBER.name
        )
        .outerjoin(VoteStage, VoteStage.campaign_id == Campaign.id)
        .outerjoin(Chamber, Chamber.id == VoteStage.chamber_id)
        .outerjoin(Committee, Committee.id == VoteStage.committee_id)
        .outerjoin(COMMITTEE_CHAMBER, COMMITTEE_CHAMBER.id == Committee.chamber_id)
    )


def _stages_statement():
    return stages_select().where(Campaign.id == bindparam("campaign_id")).order_by(VoteStage.position, VoteStage.id)


def campaign_with_bodies(campaign_id: int) -> tuple[Campaign | None, list[Body]]:
    """The campaign and its stages in order, each with the chamber or committee it targets (one statement)."""
    rows = db.session.execute(_prebuilt("stages", _stages_statement), {"campaign_id": campaign_id}).all()
    if not rows:
        return None, []
    return rows[0][0], bodies_of([row[1:] for row in rows if row[1] is not None])


def bodies_of(rows) -> list[Body]:
    bodies = []
    for stage, chamber_name, seats, committee_name, committee_chamber_id, committee_chamber_name in rows:
        if stage.committee_id:
            bodies.append(Body(stage, committee_chamber_id, committee_chamber_name, None, committee_name))
        else:
            bodies.append(Body(stage, stage.chamber_id, chamber_name, seats, None))
    return bodies


def needed_for(stage: VoteStage, seats: int) -> int:
    return votemath.votes_needed(
        stage.rule_kind,
        seats,
        attendance_pct=stage.expected_attendance_pct,
        numerator=stage.fraction_numerator,
        denominator=stage.fraction_denominator,
        fixed=stage.fixed_votes,
    )


def headline_stage(stages: list[VoteStage], today: date) -> VoteStage | None:
    """The next stage still to be voted, or the last one."""
    for stage in stages:
        if stage.target_date is None or stage.target_date >= today:
            return stage
    return stages[-1] if stages else None


@dataclass
class Headline:
    stage: VoteStage | None
    members: int = 0
    seats: int = 0
    secured: int = 0
    likely: int = 0
    needed: int = 0

    @property
    def gap(self) -> int:
        return votemath.gap(self.needed, self.secured)


def campaign_index(today: date) -> list[tuple[Campaign, Headline]]:
    """All campaigns with the count of their next stage; three statements whatever the numbers."""
    campaigns = db.session.execute(select(Campaign).order_by(Campaign.status, Campaign.name)).scalars().all()
    if not campaigns:
        return []
    stage_rows = db.session.execute(
        select(VoteStage, Chamber.seats)
        .outerjoin(Chamber, Chamber.id == VoteStage.chamber_id)
        .where(VoteStage.campaign_id.in_([c.id for c in campaigns]))
        .order_by(VoteStage.campaign_id, VoteStage.position, VoteStage.id)
    ).all()
    by_campaign: dict[int, list[VoteStage]] = defaultdict(list)
    seats_of: dict[int, int | None] = {}
    for stage, seats in stage_rows:
        by_campaign[stage.campaign_id].append(stage)
        seats_of[stage.id] = seats
    heads = {c.id: headline_stage(by_campaign[c.id], today) for c in campaigns}
    chamber_stages = [s.id for s in heads.values() if s is not None and not s.committee_id]
    committee_stages = [s.id for s in heads.values() if s is not None and s.committee_id]
    counts: dict[int, Counter] = defaultdict(Counter)
    # Each headline stage's sitting members: chamber seats or committee places.
    parts = [
        select(
            VoteStage.id.label("stage_id"),
            VoteStage.campaign_id.label("campaign_id"),
            link.legislator_id.label("legislator_id"),
        )
        .join(link, on)
        .where(VoteStage.id.in_(stage_ids), active_on(link, today))
        for stage_ids, link, on in (
            (chamber_stages, SeatMembership, SeatMembership.chamber_id == VoteStage.chamber_id),
            (committee_stages, CommitteeMembership, CommitteeMembership.committee_id == VoteStage.committee_id),
        )
        if stage_ids
    ]
    if parts:
        members = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("members")
        latest = stance.latest_per_pair(None, [c.id for c in campaigns])
        rows = db.session.execute(
            select(members.c.stage_id, latest.c.level, func.count())
            .select_from(members)
            .outerjoin(
                latest,
                and_(latest.c.campaign_id == members.c.campaign_id, latest.c.legislator_id == members.c.legislator_id),
            )
            .group_by(members.c.stage_id, latest.c.level)
        ).all()
        for stage_id, level, n in rows:
            counts[stage_id][level or "unknown"] += n
    result = []
    for campaign in campaigns:
        stage = heads[campaign.id]
        headline = Headline(stage)
        if stage is not None:
            c = counts[stage.id]
            headline.members = sum(c.values())
            headline.seats = seats_of.get(stage.id) or headline.members
            headline.secured = secured_of(c)
            headline.likely = likely_of(c)
            headline.needed = needed_for(stage, headline.seats)
        result.append((campaign, headline))
    return result
