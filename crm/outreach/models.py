from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.types import UTCDateTime
from crm.extensions import db

INTERACTION_KINDS = ("meeting", "call", "email", "event", "hearing", "other")
TASK_STATUSES = ("open", "done", "cancelled")
TASK_PRIORITIES = ("low", "normal", "high")

interaction_legislators = Table(
    "interaction_legislators",
    db.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("legislator_id", ForeignKey("legislators.id", ondelete="CASCADE"), primary_key=True, index=True),
)
interaction_aides = Table(
    "interaction_aides",
    db.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("aide_id", ForeignKey("aides.id", ondelete="CASCADE"), primary_key=True),
)
interaction_staff = Table(
    "interaction_staff",
    db.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)
interaction_partners = Table(
    "interaction_partners",
    db.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_organisation_id", ForeignKey("partner_organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Interaction(db.Model):
    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(200))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # Internal notes are never shown to partner organisations.
    notes_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    legislators = relationship("Legislator", secondary=interaction_legislators, order_by="Legislator.sort_name")
    aides = relationship("Aide", secondary=interaction_aides)
    staff = relationship("User", secondary=interaction_staff, foreign_keys=[interaction_staff.c.interaction_id, interaction_staff.c.user_id])
    partners = relationship("PartnerOrganisation", secondary=interaction_partners)


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_assignee_status_due", "assignee_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(10), default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    legislator_id: Mapped[int | None] = mapped_column(ForeignKey("legislators.id", ondelete="SET NULL"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
