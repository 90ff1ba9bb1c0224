"""A small per-process cache of the dashboard's rendered panels.

At province scale the panels take hundreds of milliseconds to count and render, and leaders
open the same few periods again and again. The panels depend on the scope (period, field,
unit), the day (statuses are taken on it), who looks (what they may see), the language, and
the data. Every change to that data goes through the services, which write an audit event in
the same transaction (app.audit); so the newest audit event's id is a cheap data version:
read first in the request's own transaction (one primary-key lookup), a cached fragment is
served only while nothing has been committed since it was rendered. A lifetime bounds what a
change made outside the services (a bulk load from the command line) could leave stale.

Per app (the tests make one per database), per process, a few entries, oldest dropped first.
DASHBOARD_CACHE_SECONDS = 0 turns it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent

MAX_ENTRIES = 16  # a five-year fragment is ~0.75 MB of HTML
EXTENSION_KEY = "dashboard_panels_cache"


def data_version() -> int:
    """The newest audit event's id: it changes whenever the services commit a change."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


class PanelCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str], lifetime: float) -> str:
        """The fragment cached under key if younger than lifetime seconds, else render() stored."""
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < lifetime:
                self._entries.move_to_end(key)
                return hit[1]
        html = render()  # outside the lock: two requests may both render, neither waits
        with self._lock:
            self._entries[key] = (now, html)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def panels(key: Hashable, render: Callable[[], str]) -> str:
    """render()'s fragment for key (which must say everything the panels depend on but the
    data), cached for the current data version."""
    lifetime = current_app.config.get("DASHBOARD_CACHE_SECONDS", 0)
    if not lifetime:
        return render()
    cache = current_app.extensions.setdefault(EXTENSION_KEY, PanelCache())
    return cache.get_or_render((key, data_version()), render, lifetime)
