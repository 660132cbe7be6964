"""Signed, expiring tokens for invitations and password resets."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from crm.accounts.models import User
from crm.extensions import db

INVITE_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cabildeo-{purpose}")


def _fingerprint(user) -> str:
    # Changes once the password is set, so each link works only once.
    raw = f"{user.password_hash or ''}:{user.session_version}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def make_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_token(token: str, purpose: str, max_age: int):
    """Return the user the token names, or None when it is forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user
