"""Helpers every domain's views share: the acting user, the user's today, htmx requests, integer and date arguments."""

import re
from datetime import date

from flask import abort, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from crm.core.time import local_today

# Ids are INTEGER columns: a larger number could never match, and PostgreSQL would refuse to compare it.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
_ANY_DIGITS = re.compile(r"[0-9]+")
# Days a person may ask about. Outside them a day is a typo, and the arithmetic around it (a day's bounds in a
# timezone, weeks back for a trend) would leave the years 1 to 9999 that Python's dates can hold.
MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(2999, 12, 31)


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: an id larger than any INTEGER column is a 404, like an id that does not exist."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


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


def checked_id(value) -> int | None:
    """parse_id for request input: None when missing or malformed, a 400 when it is a number no id can reach."""
    number = parse_id(value)
    if number is None and isinstance(value, str) and _ANY_DIGITS.fullmatch(value.strip()):
        abort(400)
    return number


def int_arg(name: str) -> int | None:
    """The query-string argument `name` as an id, or None when missing or malformed (a 400 when out of range)."""
    return checked_id(request.args.get(name))


def parse_day(value) -> date | None:
    """An ISO day from request input: None when missing or malformed, a 400 when outside MIN_DAY..MAX_DAY."""
    try:
        day = date.fromisoformat((value or "").strip())
    except (TypeError, ValueError):
        return None
    if not MIN_DAY <= day <= MAX_DAY:
        abort(400)
    return day


def day_arg(name: str) -> date | None:
    """The query-string argument `name` as a day (see parse_day)."""
    return parse_day(request.args.get(name))
