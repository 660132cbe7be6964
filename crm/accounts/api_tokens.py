"""Personal access tokens for the JSON API: create (shown once), revoke, authenticate, and count use per token.

Only a SHA-256 hash of a token is stored. Tokens are long random strings, so an unsalted hash is enough: there is
nothing to guess. The rate limit shares the `rate_limits` table with the login counters (scope "api").
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from crm.accounts import throttle
from crm.accounts.models import ApiToken, User
from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db

TOKEN_PREFIX = "cbd_"  # noqa: S105 - a public marker, not a secret
SCOPES = ("read", "read write")
MAX_EXPIRY_DAYS = 366
RATE_SCOPE = "api"


class TokenError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        ).scalars()
    )


def create_token(user: User, *, name: str, scopes: str = "read", expires_in_days: int | None = 90,
                 actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the raw token, which is never shown again."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise TokenError(_("Escriba un nombre de hasta 80 caracteres."), "name")
    if scopes not in SCOPES:
        raise TokenError(_("Alcance desconocido."), "scopes")
    if scopes != "read" and not user.is_staff:
        raise TokenError(_("Las cuentas de solo lectura solo pueden crear tokens de lectura."), "scopes")
    if expires_in_days is not None and not 1 <= int(expires_in_days) <= MAX_EXPIRY_DAYS:
        raise TokenError(_("La vigencia debe estar entre 1 y %(days)s días.", days=MAX_EXPIRY_DAYS), "expires_in_days")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id, name=name, prefix=raw[:12], token_hash=hash_token(raw), scopes=scopes, created_at=now,
        expires_at=now + timedelta(days=int(expires_in_days)) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, new={"name": name, "scopes": scopes, "expires_at": token.expires_at,
                                                 "user_id": user.id}, actor=actor or user)
    return token, raw


def revoke_token(token: ApiToken, *, actor) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_token.revoke", token, new={"name": token.name, "revoked_at": token.revoked_at}, actor=actor)


def find_token(raw: str, now: datetime | None = None) -> ApiToken | None:
    """The live token for this raw value, with an active owner; None otherwise."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or utcnow()
    row = db.session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == hash_token(raw))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now) or not user.active:
        return None
    return token


def count_use(token: ApiToken, *, limit: int, window_seconds: int, now: datetime | None = None) -> int | None:
    """Record one use of the token; returns the seconds to wait when it is over its limit, else None.

    A fixed window per token in `rate_limits`, counted by the login throttle's one-statement upsert (safe across
    workers).
    """
    now = now or utcnow()
    window = timedelta(seconds=window_seconds)
    used, started = throttle.count(RATE_SCOPE, str(token.id), now, window)
    token.last_used_at = now
    if used > limit:
        return max(1, int((started + window - now).total_seconds()) + 1)
    return None
