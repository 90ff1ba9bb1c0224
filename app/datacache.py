"""A small per-process cache of province-wide figures: the dashboard's rendered panels and the
leader's home roll-ups.

At province scale these take hundreds of milliseconds to count (and, for the dashboard, to
render), and leaders open the same few pages again and again. What they show depends on the
scope (period, field, unit), the day (statuses are taken on it), who looks (what they may
see), the language, and the data; the callers' keys say all but the data. Every change to that data goes through the services, which write an audit event in
the same transaction (app.audit); so the newest audit event's id is a cheap data version:
read first in the request's own transaction (one primary-key lookup), a cached fragment is
served only while nothing has been committed since it was made. A lifetime bounds what a
change made outside the services (a bulk load from the command line) could leave stale.

Per app (the tests make one per database), per process, a few entries, oldest dropped first.
Values are kept as they are and shared between requests: plain data or rendered HTML, never
ORM objects. DASHBOARD_CACHE_SECONDS = 0 turns it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent

MAX_ENTRIES = 32  # a five-year dashboard fragment is ~0.75 MB of HTML
EXTENSION_KEY = "figures_cache"
T = TypeVar("T")


def data_version() -> int:
    """The newest audit event's id: it changes whenever the services commit a change."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


class FigureCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T], lifetime: float) -> T:
        """The value kept under key if younger than lifetime seconds, else make()'s, kept."""
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < lifetime:
                self._entries.move_to_end(key)
                return hit[1]
        value = make()  # outside the lock: two requests may both make it, neither waits
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def remember(key: Hashable, make: Callable[[], T]) -> T:
    """make()'s value for key (which must say everything it depends on but the data), kept for
    the current data version."""
    lifetime = current_app.config.get("DASHBOARD_CACHE_SECONDS", 0)
    if not lifetime:
        return make()
    cache = current_app.extensions.setdefault(EXTENSION_KEY, FigureCache())
    return cache.get_or_make((key, data_version()), make, lifetime)
