"""Deadlines in calendar or working days, the way Vietnamese administration counts them.

Counting rule (Bộ luật Dân sự 2015, Điều 147–148, which administrative practice follows):

- The day of the event (receipt, assignment) is **not** counted: the period starts on the
  next day. ``add_working_days(start, n)`` is the n-th working day *after* ``start``, so
  something received on Friday 13/02/2026 with 1 working day is due Monday 23/02/2026
  (16–20/02/2026 is Tết). A start on a day off works the same way: the count still begins
  with the next working day.
- A period of n calendar days ends on ``start + n``; when that day is not a working day the
  deadline moves to the next working day (Điều 148).
- ``working_days_between(a, b)`` counts the working days d with a < d <= b (negative when
  b is before a), so ``working_days_between(s, add_working_days(s, n)) == n``.

Working days are Monday to Friday, minus Vietnamese public holidays from the ``holidays``
package (Tết, substitute days off; Saturdays the government declares make-up working days
count as working days), then the province's own calendar an admin records as ``DayOff`` rows
(app/days_off: the table and its screens, so that this module stays below models and audit):
its local days off are off, its make-up working days and the national holidays it works
(cancelled) are working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays
from flask import g, has_app_context
from sqlalchemy import select

from app import clock
from app.days_off.models import WORKED_KINDS, DayOff
from app.deadline_units import CALENDAR, UNIT_LABELS, UNITS, WORKING  # noqa: F401  (deadlines.UNITS for callers)
from app.extensions import db

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# Longest period accepted: ten years of days is already far beyond any real deadline.
MAX_DAYS = 3660


# The package's names as a Vietnamese clerk writes them ("Tết Nguyên đán", not "Nguyên Đán").
_NAME_FIXES = (("Nguyên Đán", "Nguyên đán"),)


def _written(name: str) -> str:
    for wrong, right in _NAME_FIXES:
        name = name.replace(wrong, right)
    return name


@cache
def _vietnam(year: int) -> holidays.HolidayBase:
    """The national holidays of one year, names in Vietnamese; built once per year."""
    return holidays.Vietnam(years=year, language="vi", expand=False)


def public_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The national public holidays and substitute days off of year, in date order."""
    return sorted((day, _written(name)) for day, name in _vietnam(year).items())


def national_workdays(year: int) -> list[dt.date]:
    """The weekend days of year the government made working days (ngày làm bù), in order."""
    return sorted(day for day in _vietnam(year).weekend_workdays if day.year == year)


def public_holiday_name(day: dt.date) -> str | None:
    """The holiday's Vietnamese name when day is a national day off, else None."""
    name = _vietnam(day.year).get(day)
    return _written(name) if name else None


class WorkingCalendar:
    """Working-day arithmetic for the province's own days off and days worked (pure: no database).

    extra_days_off: days the province gives off; extra_working_days: days it works that
    would otherwise be off (make-up working days, national holidays it cancelled).
    """

    def __init__(self, extra_days_off: Iterable[dt.date] = (), extra_working_days: Iterable[dt.date] = ()):
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        if day in self.extra_days_off:
            return False
        if day in self.extra_working_days:
            return True
        return self.is_national_working_day(day)

    @staticmethod
    def is_national_working_day(day: dt.date) -> bool:
        """Whether day is worked by the national calendar alone (no province's entries)."""
        day = _as_date(day)
        national = _vietnam(day.year)
        if day in national:
            return False
        if day.weekday() >= 5:
            # A Saturday the government swaps with a bridge day is worked.
            return day in national.weekend_workdays
        return True

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        start, days = _as_date(start), _check_days(days)
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """day itself when it is a working day, else the first working day after it."""
        day = _as_date(day)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(
            1 for offset in range(1, (b - a).days + 1) if self.is_working_day(a + dt.timedelta(days=offset))
        )

    def deadline_from(self, start: dt.date, amount: int, unit: str) -> dt.date:
        amount = _check_days(amount)
        if unit == WORKING:
            return self.add_working_days(start, amount)
        if unit == CALENDAR:
            return self.next_working_day(_as_date(start) + dt.timedelta(days=amount))
        raise ValueError(f"unknown deadline unit {unit!r}; use {CALENDAR!r} or {WORKING!r}")


def current_calendar() -> WorkingCalendar:
    """The calendar with the province's own entries, read once per app context."""
    if not has_app_context():
        return WorkingCalendar()
    calendar = g.get("_working_calendar")
    if calendar is None:
        rows = db.session.execute(select(DayOff.date, DayOff.kind)).all()
        calendar = WorkingCalendar(
            (day for day, kind in rows if kind not in WORKED_KINDS),
            (day for day, kind in rows if kind in WORKED_KINDS),
        )
        g._working_calendar = calendar
    return calendar


def year_calendar(year: int) -> dict[str, list]:
    """What a date picker marks in year: days off with their names, and weekend days that are worked.

    {"off": [(date, name), ...], "worked": [date, ...]}: the national holidays and the admin's
    extra days off; the Saturdays or Sundays the government swaps for a bridge day.
    """
    national = _vietnam(year)
    extra = db.session.execute(
        select(DayOff.date, DayOff.reason).where(DayOff.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    ).all()
    off = dict(national.items())
    off.update({day: reason for day, reason in extra})
    return {"off": sorted(off.items()), "worked": sorted(day for day in national.weekend_workdays if day.year == year)}


def forget_calendar() -> None:
    """Drop the cached calendar after the days off change."""
    if has_app_context():
        g.pop("_working_calendar", None)


def is_working_day(day: dt.date) -> bool:
    """True on a working day of the province's calendar (national one plus its own entries)."""
    return current_calendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The days-th working day after start (start itself is not counted; 0 gives start)."""
    return current_calendar().add_working_days(start, days)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days d with a < d <= b; negative when b is before a."""
    return current_calendar().working_days_between(a, b)


def deadline_from(start: dt.date, amount: int, unit: str) -> dt.date:
    """The deadline amount days after start, unit being "calendar" or "working".

    Calendar deadlines that fall on a day off move to the next working day.
    """
    return current_calendar().deadline_from(start, amount, unit)


def _as_date(value: dt.date) -> dt.date:
    """Accept dates; datetimes become the province's date of that moment."""
    if isinstance(value, dt.datetime):
        return clock.local_date(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value


def _check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"expected a whole number of days, got {days!r}")
    if days < 0 or days > MAX_DAYS:
        raise ValueError(f"number of days must be between 0 and {MAX_DAYS}, got {days}")
    return days
