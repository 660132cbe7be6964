"""Signed unsubscribe links: they work without logging in and name one user and one reminder kind."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

# Each reminder kind maps to the user preference it switches off.
PREFERENCE_FOR_KIND = {
    "due_soon": "notify_due_soon",
    "overdue": "notify_overdue",
    "meeting": "notify_meetings",
    "digest": "notify_digest",
    "weekly": "notify_weekly",
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cabildeo-unsubscribe")


def make_unsubscribe_token(user_id: int, kind: str) -> str:
    if kind not in PREFERENCE_FOR_KIND:
        raise ValueError(f"no preference for reminder kind {kind!r}")
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None when the token is forged or malformed.

    These links never expire: an old reminder in someone's mailbox must still let them opt out.
    """
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("k") not in PREFERENCE_FOR_KIND:
        return None
    return data["u"], data["k"]
