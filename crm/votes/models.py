"""Bills with their dated status history, recorded vote events with each legislator's vote, and scorecards.

This domain sits above campaigns and outreach: a campaign follows bills and a stage points at a bill step through
tables kept here, so the campaigns domain never needs to know about votes.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.types import UTCDateTime
from crm.extensions import db

BILL_STATUSES = (
    "presented", "referred", "report", "agenda", "approved", "rejected", "archived", "sent_to_executive", "enacted",
)
VOTE_OPTIONS = ("yes", "no", "abstain", "absent", "on_leave", "not_voting", "paired")
# The columns of the forecast's confusion table: every option that is not yes, no or abstain counts as absent.
OUTCOMES = ("yes", "no", "abstain", "absent")
OUTCOME_OF = {"yes": "yes", "no": "no", "abstain": "abstain"}
# Options that are not a vote cast: a scorecard shows them apart.
NOT_CAST = ("absent", "on_leave", "not_voting", "paired")
POSITIONS = ("yes", "no")
RESULTS = ("pass", "fail")


def outcome_of(option: str | None) -> str:
    """The confusion-table column of a vote option; a member with no recorded vote was absent."""
    return OUTCOME_OF.get(option or "", "absent")


class Bill(db.Model):
    """A bill (proyecto de ley), e.g. 03839/2014-IC, unique by number within its legislature."""

    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("legislature_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legislature_id: Mapped[int] = mapped_column(ForeignKey("legislatures.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(500))
    origin_chamber_id: Mapped[int | None] = mapped_column(ForeignKey("chambers.id", ondelete="SET NULL"))
    summary: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list["BillStep"]] = relationship(back_populates="bill", order_by="(BillStep.day, BillStep.id)")
    authors: Mapped[list["BillAuthor"]] = relationship(order_by="BillAuthor.position")


class BillAuthor(db.Model):
    __tablename__ = "bill_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    legislator_id: Mapped[int | None] = mapped_column(ForeignKey("legislators.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=1)


class BillStep(db.Model):
    """One dated entry of a bill's status history: presented, referred to a committee, report, ..."""

    __tablename__ = "bill_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    day: Mapped[date] = mapped_column(Date)
    chamber_id: Mapped[int | None] = mapped_column(ForeignKey("chambers.id", ondelete="SET NULL"))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    bill: Mapped[Bill] = relationship(back_populates="steps")


class CampaignBill(db.Model):
    """A campaign follows a bill."""

    __tablename__ = "campaign_bills"
    __table_args__ = (UniqueConstraint("campaign_id", "bill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)


class StageStep(db.Model):
    """A campaign's vote stage stands for one bill step (at most one per stage)."""

    __tablename__ = "stage_bill_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("vote_stages.id", ondelete="CASCADE"), unique=True)
    bill_step_id: Mapped[int] = mapped_column(ForeignKey("bill_steps.id", ondelete="CASCADE"), index=True)


class VoteEvent(db.Model):
    """A recorded vote of a chamber or a committee; `source_key` makes re-imports idempotent."""

    __tablename__ = "vote_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(200), unique=True)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id", ondelete="SET NULL"), index=True)
    bill_step_id: Mapped[int | None] = mapped_column(ForeignKey("bill_steps.id", ondelete="SET NULL"), index=True)
    chamber_id: Mapped[int | None] = mapped_column(ForeignKey("chambers.id", ondelete="SET NULL"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="SET NULL"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    motion: Mapped[str] = mapped_column(Text)
    requirement: Mapped[str | None] = mapped_column(String(120))
    result: Mapped[str | None] = mapped_column(String(20))
    # The counts the source declared, {option: n}; the recorded votes are the truth the pages count.
    declared_counts: Mapped[dict | None] = mapped_column(JSON)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("vote_event_id", "legislator_id"), Index("ix_votes_legislator", "legislator_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_event_id: Mapped[int] = mapped_column(ForeignKey("vote_events.id", ondelete="CASCADE"))
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"))
    option: Mapped[str] = mapped_column(String(20))


class VoteEvidence(db.Model):
    """A vote event's votes were turned into stance assessments for a campaign (once)."""

    __tablename__ = "vote_evidence"
    __table_args__ = (UniqueConstraint("vote_event_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_event_id: Mapped[int] = mapped_column(ForeignKey("vote_events.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    our_position: Mapped[str] = mapped_column(String(10))
    assessments: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Scorecard(db.Model):
    __tablename__ = "scorecards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    items: Mapped[list["ScorecardItem"]] = relationship(order_by="ScorecardItem.id", cascade="all, delete-orphan")


class ScorecardItem(db.Model):
    """One vote event on a scorecard and the position "we" wanted on it (yes or no)."""

    __tablename__ = "scorecard_items"
    __table_args__ = (UniqueConstraint("scorecard_id", "vote_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"))
    vote_event_id: Mapped[int] = mapped_column(ForeignKey("vote_events.id", ondelete="CASCADE"), index=True)
    position: Mapped[str] = mapped_column(String(10))
