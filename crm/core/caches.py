"""Bounded per-process caches for rendered parts of pages, one set per app.

Each entry is found by a key that holds everything its content depends on, so an entry is never stale; the
bound only limits memory. An entry may also carry `expires_at` (a datetime) when its content depends on the
clock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from flask import current_app


class LRU:
    """A bounded mapping, least recently used out first; safe under threaded servers."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, now: datetime | None = None):
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            expires_at = getattr(entry, "expires_at", None)
            if expires_at is not None and now is not None and expires_at <= now:
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


def app_cache(name: str, size: int) -> LRU:
    """This app's cache called `name` (one per app, so two apps in one process never share entries)."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions[name] = LRU(size)
    return found
