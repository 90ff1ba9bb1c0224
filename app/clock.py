"""The one clock: the moment now, and the province's today, for every module and test.

Nothing else in the project reads the real clock. Deadlines, status classes, reminders,
imports and the dashboard are all "as of today in the province", so the day has to be
one value that tests (and a demonstration) can set.

Vietnam keeps one time zone all year (UTC+7, no daylight saving), so the province's
zone is a constant rather than a setting.

Pinning: ``pin(moment)`` makes ``now()`` start from ``moment`` and then run at the real
pace, so events stay ordered while the date is fixed. The environment variable
``GIAOBAN_PINNED_NOW`` (ISO 8601, e.g. ``2027-02-05T09:00:00+07:00`` or ``2027-02-05``) pins
the clock of a whole process at start-up; the test suite uses it for the servers it starts,
and it can show the site as on a chosen day. A production server never sets it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

TIME_ZONE_NAME = "Asia/Ho_Chi_Minh"
TIME_ZONE = ZoneInfo(TIME_ZONE_NAME)
PIN_ENV = "GIAOBAN_PINNED_NOW"
PINNED_HOUR = 9  # a pinned day starts at 09:00 in the province: far from either midnight

# (the pinned moment, the monotonic reading when it was pinned); None: the real clock
_pinned: tuple[dt.datetime, float] | None = None


def now() -> dt.datetime:
    """The current moment, aware, in UTC."""
    if _pinned is None:
        return dt.datetime.now(dt.UTC)
    start, mark = _pinned
    return start + dt.timedelta(seconds=time.monotonic() - mark)


def local_now() -> dt.datetime:
    """The current moment in the province's zone."""
    return now().astimezone(TIME_ZONE)


def today() -> dt.date:
    """Today's date in the province, whatever the server's own zone."""
    return local_now().date()


def local_date(moment: dt.datetime) -> dt.date:
    """The province's calendar date of moment (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIME_ZONE).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """The UTC moment the province's day begins."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=TIME_ZONE).astimezone(dt.UTC)


def parse_moment(text: str) -> dt.datetime:
    """A moment from ISO 8601 text; a bare date is that day at 09:00 in the province."""
    text = text.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime.combine(day, dt.time(PINNED_HOUR), tzinfo=TIME_ZONE).astimezone(dt.UTC)
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIME_ZONE)
    return moment.astimezone(dt.UTC)


def pin(moment: dt.datetime | dt.date | str) -> dt.datetime:
    """Make now() start from moment (a date: 09:00 that day in the province); returns it in UTC."""
    global _pinned
    if isinstance(moment, str):
        start = parse_moment(moment)
    elif isinstance(moment, dt.datetime):
        start = (moment if moment.tzinfo else moment.replace(tzinfo=TIME_ZONE)).astimezone(dt.UTC)
    else:
        start = parse_moment(moment.isoformat())
    _pinned = (start, time.monotonic())
    return start


def unpin() -> None:
    """Go back to the real clock."""
    global _pinned
    _pinned = None


def is_pinned() -> bool:
    return _pinned is not None


if os.environ.get(PIN_ENV):
    pin(os.environ[PIN_ENV])
