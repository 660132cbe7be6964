"""The whip board rendered once per version and served from a bounded per-process cache.

The key holds everything that changes what a reader sees: the database's version tokens (shared rows and the
campaign's own), the query string (stage, "as of" day, owner filters), the reader's language, today in the
reader's timezone (the default "as of" day and the dates shown), their role and partner organisation. The
tokens are read in one statement per request; everything else is already in hand. The rendered parts hold no
per-request token (CSRF lives in the page frame, which is rendered on every request).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from crm.core import versions
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


class LRU:
    """A bounded mapping, least recently used out first; safe under threaded servers."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, now: datetime):
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            if entry.expires_at is not None and entry.expires_at <= now:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def cache() -> LRU:
    """This app's cache (one per app, so two apps in one process never share entries)."""
    found = current_app.extensions.get("whip_board")
    if found is None:
        found = current_app.extensions["whip_board"] = LRU(CACHE_ENTRIES)
    return found


def key_for(campaign_id: int) -> tuple:
    """The cache key of the board this request asks for; reads the version tokens (one statement)."""
    tokens = versions.read(versions.EVERYTHING, campaign_id)
    args = tuple(sorted((k, v) for k, v in request.args.items(multi=True) if k != "fragment"))
    user = current_user
    return (campaign_id, tokens, args, str(get_locale()), user_today(), user.timezone, user.role,
            user.partner_organisation_id)


def etag_of(board: str | None) -> str:
    """A strong validator of the board's HTML: equal boards get equal tags on every worker and host."""
    return '"' + hashlib.sha256((board or "").encode()).hexdigest()[:32] + '"'


def expiry(oldest: datetime | None) -> datetime | None:
    """When the oldest recent change, listed or only counted, leaves the window (None: nothing to expire)."""
    return oldest + RECENT if oldest else None


def recent_since() -> datetime:
    return utcnow() - RECENT


def matches(etag: str) -> bool:
    """The request's If-None-Match names this tag (or any). Weak forms count too: a compressing layer marks the
    tags it passes on as weak (W/"…"), and the browser sends back what it was given."""
    return request.if_none_match.contains_weak(etag.strip('"')) or request.if_none_match.star_tag
