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


def check_token(token: str, purpose: str, max_age: int):
    """(user, None, user id) for a good link, else (None, problem, user id when the link names one).

    The problem is one of "expired", "forged", "unknown_user", "inactive" or "used".
    """
    serializer = _serializer(purpose)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        try:
            payload = serializer.load_payload(error.payload)
        except BadSignature:
            payload = None
        user_id = payload.get("u") if isinstance(payload, dict) else None
        return None, "expired", user_id if isinstance(user_id, int) else None
    except BadSignature:
        return None, "forged", None
    user_id = data.get("u") if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return None, "unknown_user", user_id
    if not user.active:
        return None, "inactive", user_id
    if data.get("f") != _fingerprint(user):
        return None, "used", user_id
    return user, None, user_id
