"""The whip board rendered once per version and served from a bounded per-process cache.

The key holds everything that changes what a reader sees: the database's version tokens (shared rows and the
campaign's own), the query string (stage, "as of" day, owner filters), the reader's language, today in the
reader's timezone (the default "as of" day and the dates shown), their role and partner organisation. The
tokens are read in one statement per request; everything else is already in hand. The rendered parts hold no
per-request token (CSRF lives in the page frame, which is rendered on every request).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, abort, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from crm.core import versions
from crm.core.caches import LRU, app_cache
from crm.core.frames import framed
from crm.core.time import utcnow
from crm.core.views import user_today

# Entries per process: a 400-seat page and its board take about 250 KB, so this bounds the cache to ~16 MB.
CACHE_ENTRIES = 64
# The board lists who changed what in this window; an entry expires when its oldest listed change leaves it.
RECENT = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Rendered:
    title: str
    content: Markup
    board: Markup | None
    etag: str
    expires_at: datetime | None = None
    # The content as UTF-8: a 400-seat page would otherwise be encoded again on every view.
    encoded: bytes | None = None


CACHE_NAME = "whip_board"


def cache() -> LRU:
    """This app's whip-board cache."""
    return app_cache(CACHE_NAME, CACHE_ENTRIES)


def key_for(campaign_id: int, tokens: tuple | None = None) -> tuple:
    """The cache key of the board this request asks for; reads the version tokens unless given (one statement)."""
    if tokens is None:
        tokens = versions.read(*scopes(campaign_id))
    user = current_user
    return key_of(campaign_id, tokens, request.args, str(get_locale()), user_today(), user.timezone, user.role,
                  user.partner_organisation_id)


def key_of(campaign_id: int, tokens: tuple, args, locale: str, today, timezone: str, role: str,
           partner_organisation_id: int | None) -> tuple:
    """The key from plain values, for callers that know the reader without a request's user (the poll shortcut)."""
    query = tuple(sorted((k, v) for k, v in args.items(multi=True) if k != "fragment"))
    return (campaign_id, tokens, query, locale, today, timezone, role, partner_organisation_id)


def scopes(campaign_id: int) -> tuple[int, int]:
    """The version scopes a campaign's board depends on: rows every campaign shows, then the campaign's own."""
    return versions.EVERYTHING, campaign_id


def respond(entry: Rendered, key: tuple):
    """The page, or for a poll (?fragment=board) the board, or 304 when the poll already has this board."""
    if request.args.get("fragment") != "board":
        return framed("campaigns/whip.html", (entry.etag, key), entry.content, entry.encoded, entry=entry)
    if entry.board is None:
        abort(404)
    response = Response(status=304) if matches(request.if_none_match, entry.etag) else Response(entry.board)
    response.headers["ETag"] = entry.etag
    return response


def etag_of(board: str | None) -> str:
    """A strong validator of the board's HTML: equal boards get equal tags on every worker and host."""
    return '"' + hashlib.sha256((board or "").encode()).hexdigest()[:32] + '"'


def expiry(oldest: datetime | None) -> datetime | None:
    """When the oldest recent change, listed or only counted, leaves the window (None: nothing to expire)."""
    return oldest + RECENT if oldest else None


def recent_since() -> datetime:
    return utcnow() - RECENT


def matches(if_none_match, etag: str) -> bool:
    """The request's If-None-Match names this tag (or any). Weak forms count too: a compressing layer marks the
    tags it passes on as weak (W/"…"), and the browser sends back what it was given."""
    return if_none_match.contains_weak(etag.strip('"')) or if_none_match.star_tag
