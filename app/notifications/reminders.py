"""Deadline reminders: features register sources; `flask remind` turns them into notifications.

A source is a function ``fn(today) -> iterable of Reminder`` (or plain 7-tuples in the same
order). It should yield, for items not yet done:

- "due soon": deadline between today and ``due_soon_until(today)`` (the admin's
  "Số ngày cảnh báo trước hạn" setting, 3 days by default);
- "overdue": deadline before today.

Each reminder carries a dedup key naming the item *and its deadline*, e.g.
``f"due_soon:assignment:{a.id}:{a.deadline.isoformat()}"``: the reminder is created once
per recipient whatever the number of runs (and a missed day is caught up on the next
run), while an extended deadline gets reminders of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from app import settings
from app.extensions import db
from app.notifications.services import notify

log = logging.getLogger(__name__)


class Reminder(NamedTuple):
    recipients: Iterable
    kind: str
    title: str
    link: str
    object_type: str | None
    object_id: int | None
    dedup_key: str


ReminderSource = Callable[[date], Iterable[Reminder | tuple]]

_SOURCES: list[ReminderSource] = []


def register_reminder_source(fn: ReminderSource) -> ReminderSource:
    """Add fn to the sources `flask remind` calls each day (usable as a decorator)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def unregister_reminder_source(fn: ReminderSource) -> None:
    """Remove fn (tests use it to leave the registry as they found it)."""
    if fn in _SOURCES:
        _SOURCES.remove(fn)


def reminder_sources() -> list[ReminderSource]:
    return list(_SOURCES)


def due_soon_until(today: date) -> date:
    """Last deadline that counts as "due soon" today."""
    return today + timedelta(days=settings.get_int("due_soon_days"))


class RemindResult(NamedTuple):
    created: int
    failed_sources: list[str]


def create_reminders(today: date) -> RemindResult:
    """Ask every source for today's reminders and store them; commits each source's work.

    A source that raises is logged and skipped (its partial work is rolled back); the others run.
    """
    created = 0
    failed = []
    for source in reminder_sources():
        name = getattr(source, "__qualname__", repr(source))
        try:
            count = 0
            for item in source(today):
                reminder = Reminder(*item)
                if not reminder.dedup_key:
                    raise ValueError(f"reminder source {name} gave a reminder without a dedup key")
                count += len(notify(*reminder))
            db.session.commit()
        except Exception:  # one broken source must not stop the others' reminders
            db.session.rollback()
            log.exception("Reminder source %s failed; its reminders were not created", name)
            failed.append(name)
            continue
        created += count
    return RemindResult(created, failed)
