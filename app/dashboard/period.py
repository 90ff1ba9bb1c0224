"""Reporting periods: this week, this month, this quarter or a custom range, and the one before.

Pure Python: the caller passes today's date (in the province's time zone).

- A period runs from its first to its last calendar day; figures that depend on a day
  (the five-way status of tasks) are taken "as of" its last day, or today when that is
  earlier.
- The previous period has the same length: for a week, month or quarter it is the previous
  week, month or quarter, counted over as many days as the current one has run (the 1st to
  the 10th of this month is compared with the 1st to the 10th of last month); for a custom
  range it is the same number of days just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
CUSTOM = "custom"
KINDS = (WEEK, MONTH, QUARTER, CUSTOM)
LABELS = {
    WEEK: _l("Tuần này"),
    MONTH: _l("Tháng này"),
    QUARTER: _l("Quý này"),
    CUSTOM: _l("Khoảng thời gian tùy chọn"),
}
DEFAULT = MONTH
# A custom range longer than this is refused (five years of data is what the site keeps in view).
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # the last calendar day (may be after today for the current period)
    today: date

    @property
    def as_of(self) -> date:
        """The day statuses are taken on: the period's last day, or today if that is earlier."""
        return min(self.end, self.today)

    @property
    def days(self) -> int:
        """Days elapsed in the period, up to as_of (at least 1)."""
        return max((self.as_of - self.start).days + 1, 1)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def previous(self) -> Period:
        """The period before this one, of the same length (see the module docstring)."""
        if self.kind == CUSTOM:
            length = (self.end - self.start).days + 1
            end = self.start - timedelta(days=1)
            return Period(CUSTOM, end - timedelta(days=length - 1), end, self.today)
        unit_start = unit_bounds(self.kind, self.start - timedelta(days=1))[0]
        unit_end = self.start - timedelta(days=1)
        end = min(unit_start + timedelta(days=self.days - 1), unit_end)
        return Period(self.kind, unit_start, end, self.today)


def unit_bounds(kind: str, day: date) -> tuple[date, date]:
    """First and last day of the week (Monday to Sunday), month or quarter containing day."""
    if kind == WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == MONTH:
        start = day.replace(day=1)
    elif kind == QUARTER:
        start = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    else:
        raise ValueError(f"no calendar unit for {kind!r}")
    months = 1 if kind == MONTH else 3
    year, month = divmod(start.month - 1 + months, 12)
    return start, date(start.year + year, month + 1, 1) - timedelta(days=1)


class PeriodError(ValueError):
    """A custom range that cannot be used; the message (a lazy string) is for users."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def resolve(kind: str | None, today: date, start: date | None = None, end: date | None = None) -> Period:
    """The period the user asked for.

    kind: week, month, quarter or custom; an unknown or missing kind with dates given means
    custom, without dates the default (this month). A custom range needs both dates, in order.
    """
    if kind not in KINDS:
        kind = CUSTOM if (start or end) else DEFAULT
    if kind != CUSTOM:
        first, last = unit_bounds(kind, today)
        return Period(kind, first, last, today)
    if start is None or end is None:
        raise PeriodError(_l("Nhập cả ngày bắt đầu và ngày kết thúc."))
    if end < start:
        raise PeriodError(_l("Ngày kết thúc phải sau ngày bắt đầu."))
    if (end - start).days >= MAX_DAYS:
        raise PeriodError(_l("Khoảng thời gian dài nhất là 5 năm."))
    return Period(CUSTOM, start, end, today)
