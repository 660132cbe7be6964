"""Helpers every domain's views share: the acting user, the user's today, htmx requests, integer arguments."""

import re
from datetime import date

from flask import request
from flask_login import current_user

from crm.core.time import local_today

# Ids are INTEGER columns: a larger number could never match, and PostgreSQL would refuse to compare it.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def acting_user():
    """The signed-in user as a plain object (for operations' `actor`), not the request-local proxy."""
    return current_user._get_current_object()


def user_today() -> date:
    """Today in the signed-in user's timezone."""
    return local_today(current_user.timezone)


def is_htmx() -> bool:
    """True when htmx made the request (it sends `HX-Request: true`), to answer with a fragment."""
    return bool(request.headers.get("HX-Request"))


def parse_id(value) -> int | None:
    """A non-negative id from text, or None for anything else (empty, signs, letters, or too large for a column)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def int_arg(name: str) -> int | None:
    """The query-string argument `name` as an id, or None when missing or malformed."""
    return parse_id(request.args.get(name))
