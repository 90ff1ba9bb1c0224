"""The year's calendar as the admin sees it: national holidays and days off in lieu, the
government's make-up working days, and the province's own entries, day by day and as a list."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass

from app import deadlines
from app.days_off import services
from app.days_off.models import DAY_OFF, HOLIDAY_WORKED, WORKDAY, DayOff

# What a day is, for the grid's colours and legend (the template names them).
WORK, WEEKEND, HOLIDAY, NATIONAL_WORKDAY = "work", "weekend", "holiday", "national_workday"
LOCAL_OFF, LOCAL_WORKDAY, LOCAL_HOLIDAY_WORKED = DAY_OFF, WORKDAY, HOLIDAY_WORKED
OFF_KINDS = (WEEKEND, HOLIDAY, LOCAL_OFF)


@dataclass(frozen=True)
class Day:
    date: dt.date
    kind: str
    name: str = ""  # the holiday's name, or the province's reason
    entry: DayOff | None = None

    @property
    def is_off(self) -> bool:
        return self.kind in OFF_KINDS


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Day | None]]  # Monday first; None outside the month


def classify(day: dt.date, entry: DayOff | None, national_workdays: set[dt.date]) -> Day:
    holiday = deadlines.public_holiday_name(day)
    if entry is not None:
        name = entry.reason if not holiday else f"{holiday}: {entry.reason}"
        return Day(day, entry.kind, name, entry)
    if holiday:
        return Day(day, HOLIDAY, holiday)
    if day in national_workdays:
        return Day(day, NATIONAL_WORKDAY, "")
    if day.weekday() >= 5:
        return Day(day, WEEKEND)
    return Day(day, WORK)


def year_calendar(year: int) -> tuple[list[Month], list[Day]]:
    """Twelve month grids and the list of every day that differs from an ordinary week."""
    entries = {e.date: e for e in services.days_off_in(year)}
    national_workdays = set(deadlines.national_workdays(year))
    months, listed = [], []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                info = classify(day, entries.get(day), national_workdays)
                cells.append(info)
                if info.kind not in (WORK, WEEKEND):
                    listed.append(info)
            weeks.append(cells)
        months.append(Month(month, weeks))
    return months, listed


def working_days_in(months: list[Month]) -> int:
    """How many working days the year has, by the calendar shown."""
    return sum(1 for m in months for w in m.weeks for d in w if d is not None and not d.is_off)
