from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.types import UTCDateTime
from crm.extensions import db

STANCE_LEVELS = (
    "champion",
    "supporter",
    "leaning_yes",
    "undecided",
    "leaning_no",
    "opposed",
    "hard_opposed",
    "unknown",
)
COMMITMENTS = ("public", "written", "private", "inferred", "recorded_vote")
# The vote-count groupings of levels: one definition for the whip count, targets, going cold and the digests.
SECURED = ("champion", "supporter")
LIKELY = ("champion", "supporter", "leaning_yes")
PERSUADABLE = ("leaning_yes", "undecided", "leaning_no", "unknown")
# Days without contact before a persuadable legislator counts as going cold, when a campaign sets none.
DEFAULT_COLD_DAYS = 21
# How far towards yes a level stands (positive is yes), to rank how far a stance moved.
LEVEL_SCORE = {
    "champion": 3,
    "supporter": 2,
    "leaning_yes": 1,
    "undecided": 0,
    "unknown": 0,
    "leaning_no": -1,
    "opposed": -2,
    "hard_opposed": -3,
}


class Campaign(db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    bill_number: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    legislature_id: Mapped[int | None] = mapped_column(ForeignKey("legislatures.id", ondelete="SET NULL"))
    going_cold_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_COLD_DAYS)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stages: Mapped[list["VoteStage"]] = relationship(back_populates="campaign", order_by="VoteStage.position")


class VoteStage(db.Model):
    __tablename__ = "vote_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(200))
    chamber_id: Mapped[int | None] = mapped_column(ForeignKey("chambers.id", ondelete="SET NULL"))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="SET NULL"))
    target_date: Mapped[date | None] = mapped_column(Date)
    rule_kind: Mapped[str] = mapped_column(String(30), default="absolute_majority")
    fraction_numerator: Mapped[int | None] = mapped_column(Integer)
    fraction_denominator: Mapped[int | None] = mapped_column(Integer)
    fixed_votes: Mapped[int | None] = mapped_column(Integer)
    # Percentage of members expected in the room for a simple-majority vote.
    expected_attendance_pct: Mapped[int | None] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship(back_populates="stages")


# A stance recorded without saying how it is known: deduced, and as likely right as wrong.
DEFAULT_COMMITMENT = "inferred"
DEFAULT_CONFIDENCE = 50


class StanceAssessment(db.Model):
    """Append-only: the current stance is the latest row per campaign and legislator."""

    __tablename__ = "stance_assessments"
    __table_args__ = (
        Index("ix_stance_assessments_lookup", "campaign_id", "legislator_id", "assessed_at"),
        # The live board's "changes in the last minutes" of one campaign.
        Index("ix_stance_assessments_recent", "campaign_id", "assessed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    commitment: Mapped[str] = mapped_column(String(20), default=DEFAULT_COMMITMENT)
    confidence: Mapped[int] = mapped_column(Integer, default=DEFAULT_CONFIDENCE)
    evidence: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id", ondelete="SET NULL"))
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class CampaignPartnerAccess(db.Model):
    """What one partner organisation may see of one campaign."""

    __tablename__ = "campaign_partner_access"
    __table_args__ = (UniqueConstraint("campaign_id", "partner_organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    partner_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="CASCADE"), index=True
    )
    # "aggregate" (counts only) or "whip_list" (the per-legislator list).
    level: Mapped[str] = mapped_column(String(20), default="aggregate")
