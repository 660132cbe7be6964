"""Shared pieces of the campaigns read side: level groupings, who sits in a body, prebuilt statements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select

from crm.campaigns.models import LIKELY, SECURED, STANCE_LEVELS, StanceAssessment, VoteStage
from crm.legislature.models import CommitteeMembership, SeatMembership, active_on

LEVEL_RANK = {level: i for i, level in enumerate(STANCE_LEVELS)}
ROLE_RANK = {"chair": 0, "vice_chair": 1, "secretary": 2, "member": 3}  # unknown roles rank with members
TREND_WEEKS = 12


def secured_of(counts) -> int:
    """Votes secured (champion + supporter) in a per-level count."""
    return sum(counts[lv] for lv in SECURED)


def likely_of(counts) -> int:
    """Votes likely (secured + leaning yes) in a per-level count."""
    return sum(counts[lv] for lv in LIKELY)


class _Tallied:
    """secured/likely for a dataclass that holds a per-level `counts`."""

    @property
    def secured(self) -> int:
        return secured_of(self.counts)

    @property
    def likely(self) -> int:
        return likely_of(self.counts)


SA = StanceAssessment


# --- small SQL building blocks -------------------------------------------------------------------------


@dataclass
class Body:
    """Who votes at a stage: a chamber (legal seats) or a committee (its sitting members)."""

    stage: VoteStage
    chamber_id: int | None
    chamber_name: str | None
    legal_seats: int | None
    committee_name: str | None

    @property
    def name(self) -> str:
        return self.committee_name or self.chamber_name or ""


def _members_subquery(stage: VoteStage, day):
    return _members_of(bool(stage.committee_id), stage.committee_id or stage.chamber_id or -1, day)


def _members_of(committee: bool, body_id, day):
    """(legislator_id, district) of a body's sitting members on `day` (values or bind parameters).

    No GROUP BY here, so the chamber/committee index drives the scan; a legislator listed twice
    (overlapping memberships in bad data) is de-duplicated by the caller.
    """
    if committee:
        return (
            select(CommitteeMembership.legislator_id.label("legislator_id"), literal(None).label("district"))
            .where(CommitteeMembership.committee_id == body_id, active_on(CommitteeMembership, day))
            .subquery("members")
        )
    return (
        select(SeatMembership.legislator_id.label("legislator_id"), SeatMembership.district.label("district"))
        .where(SeatMembership.chamber_id == body_id, active_on(SeatMembership, day))
        .subquery("members")
    )


# Statements for the whip page are built once per shape with bind parameters: building a large select()
# costs several times more CPU than SQLite takes to run it, and the page must stay cheap.
_STATEMENTS: dict = {}


def _prebuilt(key, build):
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


FIELD_SEP, ITEM_SEP = "\x1e", "\x1f"  # ASCII record/unit separators: never part of a committee name


def _params(campaign_id, stage, day, cutoff, chamber_id=None):
    return {
        "campaign_id": campaign_id,
        "body_id": stage.committee_id or stage.chamber_id or -1,
        "chamber_id": chamber_id or -1,
        "day": day,
        "cutoff": cutoff,
    }
