"""Province-wide figures kept between requests: the dashboard's rendered panels and the
leader's home roll-ups, in Flask-Caching (per process by default, shared through Redis when
CACHE_REDIS_URL is set, so that every worker on every host serves the same figures).

At province scale these take hundreds of milliseconds to count (and, for the dashboard, to
render), and leaders open the same few pages again and again. What they show depends on the
scope (period, field, unit), the day (statuses are taken on it), who looks (what they may
see), the language, and the data; the callers' keys say all but the data. Every change to
that data goes through the services, which write an audit event in the same transaction
(app.audit); so the newest audit event's id is a cheap data version: read first in the
request's own transaction (one primary-key lookup), it is part of the key, and a kept value
is served only while nothing has been committed since it was made. A lifetime bounds what a
change made outside the services (a bulk load from the command line) could leave stale, and
lets old versions expire.

Values are plain data or rendered HTML, never ORM objects (Redis keeps them pickled).
DASHBOARD_CACHE_SECONDS = 0 turns it off. A cache that fails (Redis down) is logged and
skipped: the figures are counted afresh, the page never fails for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from app.extensions import cache, db
from app.models import AuditEvent

T = TypeVar("T")
_MISSING = object()


def data_version() -> int:
    """The newest audit event's id: it changes whenever the services commit a change."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def cache_key(key: Hashable) -> str:
    """The stored name of key at the current data version (short, whatever key holds)."""
    digest = hashlib.sha256(repr((key, data_version())).encode("utf-8")).hexdigest()[:32]
    return f"figures:{digest}"


def remember(key: Hashable, make: Callable[[], T]) -> T:
    """make()'s value for key (which must say everything it depends on but the data), kept for
    the current data version."""
    lifetime = current_app.config.get("DASHBOARD_CACHE_SECONDS", 0)
    if not lifetime:
        return make()
    name = cache_key(key)
    try:
        value = cache.get(name)
    except Exception:  # a cache that is down is skipped, never a reason to fail the page
        current_app.logger.warning("figures cache unreachable; counting afresh", exc_info=True)
        return make()
    if value is not None:
        return value
    value = make()
    try:
        cache.set(name, value, timeout=int(lifetime))
    except Exception:
        current_app.logger.warning("figures cache unreachable; not kept", exc_info=True)
    return value
