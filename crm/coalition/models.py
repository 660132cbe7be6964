from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# PartnerOrganisation lives in crm.accounts.models (users belong to one); it stays importable from here.
from crm.accounts.models import PartnerOrganisation as PartnerOrganisation
from crm.core.types import UTCDateTime
from crm.extensions import db

REJECTION_REASONS = ("duplicate", "invalid_id", "illegible", "other")
MEDIA_KINDS = ("press", "radio", "tv", "online")
PLACE_KINDS = ("universidad", "centro_comercial", "colegio", "evento_comunitario", "mercado", "plaza", "otro")


class PetitionDrive(db.Model):
    __tablename__ = "petition_drives"
    # One drive per campaign: its totals are the campaign's petition.
    __table_args__ = (UniqueConstraint("campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    threshold: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class SignatureBatch(db.Model):
    __tablename__ = "signature_batches"
    __table_args__ = (
        CheckConstraint("collected >= 0", name="collected_not_negative"),
        CheckConstraint(
            "verified >= 0 AND rejected_duplicate >= 0 AND rejected_invalid_id >= 0"
            " AND rejected_illegible >= 0 AND rejected_other >= 0",
            name="counts_not_negative",
        ),
        CheckConstraint(
            "verified + rejected_duplicate + rejected_invalid_id + rejected_illegible + rejected_other <= collected",
            name="checked_within_collected",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("petition_drives.id", ondelete="CASCADE"), index=True)
    collected_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    place_kind: Mapped[str | None] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(80), index=True)
    collector_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    collector_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisations.id", ondelete="SET NULL"))
    collected: Mapped[int] = mapped_column(Integer)
    verified: Mapped[int] = mapped_column(Integer, default=0)
    rejected_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rejected_invalid_id: Mapped[int] = mapped_column(Integer, default=0)
    rejected_illegible: Mapped[int] = mapped_column(Integer, default=0)
    rejected_other: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def rejected(self) -> int:
        return self.rejected_duplicate + self.rejected_invalid_id + self.rejected_illegible + self.rejected_other

    @property
    def pending(self) -> int:
        return self.collected - self.verified - self.rejected


media_mention_legislators = Table(
    "media_mention_legislators",
    db.metadata,
    Column("media_mention_id", ForeignKey("media_mentions.id", ondelete="CASCADE"), primary_key=True),
    Column("legislator_id", ForeignKey("legislators.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class MediaMention(db.Model):
    __tablename__ = "media_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    outlet: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    legislators = relationship("Legislator", secondary=media_mention_legislators)
