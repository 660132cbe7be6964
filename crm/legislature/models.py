from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from crm.core.types import UTCDateTime
from crm.extensions import db


class Tenure:
    """Something held for dated days: a term, a seat, a group or a committee membership.

    The one rule for "active on a day": both ends are inclusive and a missing end is open. A membership
    that belongs to a term carries that term's bounds in its own dates (imports, the demo, term edits and
    migration 0002 fill them), so the rule never needs a join.
    """

    @declared_attr
    def start_date(cls) -> Mapped[date | None]:
        return mapped_column(Date)

    @declared_attr
    def end_date(cls) -> Mapped[date | None]:
        return mapped_column(Date)

    def active_on(self, day: date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)


def active_on(holder, day):
    """SQL twin of Tenure.active_on for a model or an alias of one; `day` is a date or a bind parameter."""
    return and_(
        or_(holder.start_date.is_(None), holder.start_date <= day),
        or_(holder.end_date.is_(None), holder.end_date >= day),
    )


class Legislature(db.Model):
    """A legislature, e.g. the Congress of Peru; its dated terms say when it is in session."""

    __tablename__ = "legislatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    period_label: Mapped[str | None] = mapped_column(String(80))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Pinned by an admin as one of "ours": lists and pickers then default to the pinned ones.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    chambers: Mapped[list["Chamber"]] = relationship(back_populates="legislature", order_by="Chamber.id")
    terms: Mapped[list["LegislativeTerm"]] = relationship(
        back_populates="legislature", order_by="LegislativeTerm.start_date"
    )


class LegislativeTerm(Tenure, db.Model):
    """A dated term (period) of a legislature, e.g. 2011–2016; seats of the term share its bounds."""

    __tablename__ = "legislative_terms"
    __table_args__ = (UniqueConstraint("legislature_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legislature_id: Mapped[int] = mapped_column(ForeignKey("legislatures.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))

    legislature: Mapped[Legislature] = relationship(back_populates="terms")


class Chamber(db.Model):
    """A house of a legislature with its legal number of seats (the whip count's denominator)."""

    __tablename__ = "chambers"

    id: Mapped[int] = mapped_column(primary_key=True)
    legislature_id: Mapped[int] = mapped_column(ForeignKey("legislatures.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    seats: Mapped[int] = mapped_column(Integer)

    legislature: Mapped[Legislature] = relationship(back_populates="chambers")
    committees: Mapped[list["Committee"]] = relationship(back_populates="chamber", order_by="Committee.name")


class Committee(db.Model):
    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    chamber_id: Mapped[int] = mapped_column(ForeignKey("chambers.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    chamber: Mapped[Chamber] = relationship(back_populates="committees")


GROUP_KINDS = ("party", "bancada")
COMMITTEE_ROLES = ("chair", "vice_chair", "secretary", "ranking_member", "member")
GENDERS = ("F", "M", "X")  # what Legislator.gender holds, or None when not given


class Group(db.Model):
    """A parliamentary group (kind "bancada") or an electoral party (kind "party"); never mixed."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("legislature_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legislature_id: Mapped[int] = mapped_column(ForeignKey("legislatures.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="bancada")
    name: Mapped[str] = mapped_column(String(200))
    abbreviation: Mapped[str | None] = mapped_column(String(40))
    color: Mapped[str | None] = mapped_column(String(7))


class Legislator(db.Model):
    __tablename__ = "legislators"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    sort_name: Mapped[str] = mapped_column(String(200), index=True)
    # Lowercase, accent-free copy of the names, so search works the same on every database.
    search_name: Mapped[str] = mapped_column(String(400), index=True)
    gender: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(60))
    office: Mapped[str | None] = mapped_column(String(200))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    district: Mapped[str | None] = mapped_column(String(120), index=True)
    links: Mapped[list | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    owner_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # True when the relationship owner was invented by the demo loader, not chosen by a person.
    owner_is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    identifiers: Mapped[list["LegislatorIdentifier"]] = relationship(back_populates="legislator")
    aides: Mapped[list["Aide"]] = relationship(back_populates="legislator", order_by="Aide.name")


class LegislatorIdentifier(db.Model):
    __tablename__ = "legislator_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(120))

    legislator: Mapped[Legislator] = relationship(back_populates="identifiers")


class SeatMembership(Tenure, db.Model):
    """A legislator sits in a chamber on the days the seat is active (see Tenure)."""

    __tablename__ = "seat_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    chamber_id: Mapped[int] = mapped_column(ForeignKey("chambers.id", ondelete="CASCADE"), index=True)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("legislative_terms.id", ondelete="SET NULL"), index=True)
    district: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str | None] = mapped_column(String(120))
    votes: Mapped[int | None] = mapped_column(Integer)


class GroupMembership(Tenure, db.Model):
    """The current membership of a kind is the one active today; a switch closes it and opens another."""

    __tablename__ = "group_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)


class CommitteeMembership(Tenure, db.Model):
    __tablename__ = "committee_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Aide(db.Model):
    __tablename__ = "aides"

    id: Mapped[int] = mapped_column(primary_key=True)
    legislator_id: Mapped[int] = mapped_column(ForeignKey("legislators.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    legislator: Mapped[Legislator] = relationship(back_populates="aides")


class ImportJob(db.Model):
    """One roster import from upload to apply; the page polls it to show progress."""

    __tablename__ = "legislator_import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    format: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str | None] = mapped_column(String(255))
    # Import options (legislature, chamber, period...) and the uploaded files' text, keyed by role.
    options: Mapped[dict] = mapped_column(JSON)
    files: Mapped[dict] = mapped_column(JSON)
    # "checked" (dry run shown), "running", "done", "failed"
    status: Mapped[str] = mapped_column(String(20), default="checked")
    report: Mapped[dict | None] = mapped_column(JSON)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict | None] = mapped_column(JSON)
