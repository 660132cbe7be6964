from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.permissions import Role
from crm.core.types import UTCDateTime
from crm.extensions import db


class PartnerOrganisation(db.Model):
    __tablename__ = "partner_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class RoleFlags:
    """What a role may do, for the User row and for the signed-in principal read without the ORM."""

    __slots__ = ()

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.DIRECTOR, Role.OFFICER)

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.ADMIN, Role.DIRECTOR)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class User(RoleFlags, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.OFFICER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(10), default="es_PE")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Lima")
    # Bumped on logout and password change so every older session and remember cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # No longer read or written: throttling lives in rate_limits. Kept until a later release drops them.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    partner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL"), index=True
    )
    digest_hour: Mapped[int] = mapped_column(Integer, default=8)
    notify_due_soon: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_overdue: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_meetings: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_digest: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_weekly: Mapped[bool] = mapped_column(Boolean, default=True)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RateLimit(db.Model):
    """A failure counter shared by every worker and host: one row per scope and keyed hash of what is counted.

    `key` is an HMAC of the email and/or client address, so the table holds neither in clear.
    """

    __tablename__ = "rate_limits"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class ApiToken(db.Model):
    """A personal access token for the JSON API. Only a SHA-256 hash of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The first characters of the token, shown so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "read" or "read write".
    scopes: Mapped[str] = mapped_column(String(40), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def can_write(self) -> bool:
        return "write" in self.scopes.split()
