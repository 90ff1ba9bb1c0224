"""The five-way status of a task, as Vietnamese government follow-up reports count it.

QĐ 42/2014/QĐ-TTg (and the Government Office's reports after it) sort every assigned task
into one of: done on time, done late, open within the deadline, open past the deadline, or
ongoing (no deadline). From those counts they compute

    completion rate of tasks due = done / (done + open_overdue)
    on-time rate                 = done_on_time / done

This module needs no database and no Flask app (only flask_babel's lazy strings) so that the directive pages, the home
panels, the dashboard and the printed reports all count the same way. Labels are lazy strings
(flask_babel.lazy_gettext, ``_l``): they are translated wherever they are shown; take
``str(label)`` wherever one is stored, exported, compared or JSON-encoded.

Rules:
- the deadline day itself is still on time (done on it, or open on it);
- an approved extension replaces the deadline used for timeliness (the original stays on
  record with the assignment, not here);
- the completion date is the day the unit asked for completion, once confirmed;
- a task without a deadline is ongoing (thường xuyên) and stays out of both rates;
- suspended and cancelled tasks are counted apart and stay out of both rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app import rates

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_ON_TIME = "open_on_time"
OPEN_OVERDUE = "open_overdue"
ONGOING = "ongoing"
# Not part of the five-way split: counted apart, left out of the rates.
SUSPENDED = "suspended"
CANCELLED = "cancelled"

CLASSES = (DONE_ON_TIME, DONE_LATE, OPEN_ON_TIME, OPEN_OVERDUE, ONGOING)
ALL_KEYS = CLASSES + (SUSPENDED, CANCELLED)

LABELS = {
    DONE_ON_TIME: _l("Hoàn thành đúng hạn"),
    DONE_LATE: _l("Hoàn thành quá hạn"),
    OPEN_ON_TIME: _l("Đang thực hiện trong hạn"),
    OPEN_OVERDUE: _l("Đang thực hiện quá hạn"),
    ONGOING: _l("Thường xuyên"),
    SUSPENDED: _l("Tạm hoãn"),
    CANCELLED: _l("Đã hủy"),
}
DUE_SOON_LABEL = _l("Sắp đến hạn")
# What Counts.total counts, wherever a total of tasks is shown or printed.
TOTAL_LABEL = _l("Tổng số nhiệm vụ được giao (không tính nhiệm vụ đã hủy)")
# Badge tone per class, for templates (ok / warn / bad / muted).
TONES = {
    DONE_ON_TIME: "ok",
    DONE_LATE: "warn",
    OPEN_ON_TIME: "muted",
    OPEN_OVERDUE: "bad",
    ONGOING: "muted",
    SUSPENDED: "muted",
    CANCELLED: "muted",
}

# Assignment states that take a task out of the five-way split.
STOPPED_STATES = {SUSPENDED: SUSPENDED, CANCELLED: CANCELLED}

REPORTING_PERIODS = ("weekly", "monthly", "quarterly")
REPORTING_PERIOD_LABELS = {
    "weekly": _l("Hằng tuần"),
    "monthly": _l("Hằng tháng"),
    "quarterly": _l("Hằng quý"),
}


@dataclass(frozen=True)
class Status:
    """Where one task stands on a given day."""

    key: str
    deadline: date | None = None
    # Days past the deadline: for open_overdue, until today; for done_late, until completion.
    days_overdue: int = 0
    # Days left until the deadline, for open_on_time (0 on the deadline day).
    days_left: int | None = None
    due_soon: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def tone(self) -> str:
        return TONES[self.key]

    @property
    def is_done(self) -> bool:
        return self.key in (DONE_ON_TIME, DONE_LATE)


def deadline_in_force(original: date | None, extended: date | None) -> date | None:
    """The deadline timeliness is judged against: the approved extension, else the original."""
    return extended if extended is not None else original


def classify(
    deadline: date | None,
    completed_on: date | None,
    today: date,
    due_soon_days: int = 3,
) -> Status:
    """Classify a task from the deadline in force, its completion date and today.

    deadline: the deadline in force (pass ``deadline_in_force(original, extension)``);
    None means ongoing. completed_on: the confirmed completion date, None while open.
    due_soon_days: an open task is flagged due soon when its deadline is at most that many
    days away (the deadline day itself included).
    """
    if deadline is None:
        return Status(ONGOING)
    if completed_on is not None:
        late_by = (completed_on - deadline).days
        if late_by <= 0:
            return Status(DONE_ON_TIME, deadline)
        return Status(DONE_LATE, deadline, days_overdue=late_by)
    left = (deadline - today).days
    if left >= 0:
        return Status(OPEN_ON_TIME, deadline, days_left=left, due_soon=left <= due_soon_days)
    return Status(OPEN_OVERDUE, deadline, days_overdue=-left)


def classify_assignment(
    state: str,
    deadline: date | None,
    completed_on: date | None,
    today: date,
    due_soon_days: int = 3,
) -> Status:
    """Like classify, but suspended and cancelled tasks get their own key.

    Only a done task passes its completion date: one waiting for confirmation is still open,
    and so is one completed after today (when today is a past day a report is taken on).
    """
    if state in STOPPED_STATES:
        return Status(STOPPED_STATES[state], deadline)
    done = state == "done" and completed_on is not None and completed_on <= today
    return classify(deadline, completed_on if done else None, today, due_soon_days)


@dataclass
class Counts:
    """How many tasks fall in each class, with the two rates computed from them."""

    by_key: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KEYS, 0))

    def __getitem__(self, key: str) -> int:
        return self.by_key.get(key, 0)

    @property
    def done(self) -> int:
        return self[DONE_ON_TIME] + self[DONE_LATE]

    @property
    def open(self) -> int:
        return self[OPEN_ON_TIME] + self[OPEN_OVERDUE]

    @property
    def due(self) -> int:
        """Tasks whose deadline has come: done ones and those still open past the deadline."""
        return self.done + self[OPEN_OVERDUE]

    @property
    def total(self) -> int:
        """The total number of tasks, as every screen and report states it (TOTAL_LABEL).

        Every task assigned, suspended ones included, cancelled ones not: a cancelled task
        is no longer anyone's to do. Cancelled tasks are counted apart (self[CANCELLED]).
        """
        return sum(self.by_key.values()) - self[CANCELLED]

    @property
    def active_total(self) -> int:
        """The same as total (kept for callers that named it so)."""
        return self.total

    @property
    def completion(self) -> rates.Rate:
        """Tasks done over tasks due (done + open past the deadline)."""
        return rates.Rate(rates.COMPLETION, self.done, self.due)

    @property
    def on_time(self) -> rates.Rate:
        """Tasks done on time over tasks done."""
        return rates.Rate(rates.ON_TIME, self[DONE_ON_TIME], self.done)

    @property
    def completion_rate(self) -> float | None:
        return completion_rate(self.done, self[OPEN_OVERDUE])

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self[DONE_ON_TIME], self.done)


def count_keys(keys: Iterable[str]) -> Counts:
    """Count class keys (as classify returns them, or as a GROUP BY query gives them)."""
    counts = Counts()
    for key in keys:
        if key not in counts.by_key:
            raise ValueError(f"unknown status key {key!r}")
        counts.by_key[key] += 1
    return counts


def counts_from_mapping(mapping: Mapping[str, int]) -> Counts:
    """Build Counts from {key: number}, e.g. the rows of a grouped SQL count."""
    counts = Counts()
    for key, number in mapping.items():
        if key not in counts.by_key:
            raise ValueError(f"unknown status key {key!r}")
        counts.by_key[key] += int(number)
    return counts


def add_up(counts: Iterable[Counts]) -> Counts:
    """The sum of several Counts (the province's from its units', a report's from its lines')."""
    total = Counts()
    for part in counts:
        for key, number in part.by_key.items():
            total.by_key[key] += number
    return total


def count_statuses(statuses: Iterable[Status]) -> Counts:
    """Count Status objects."""
    return count_keys(s.key for s in statuses)


def completion_rate(done: int, open_overdue: int) -> float | None:
    """done / (done + open_overdue), as a fraction; None when no task is due yet."""
    due = done + open_overdue
    return done / due if due else None


def on_time_rate(done_on_time: int, done: int) -> float | None:
    """done_on_time / done, as a fraction; None when nothing is done yet."""
    return done_on_time / done if done else None


def format_rate(rate: rates.Rate) -> str:
    """87,6%: the rate's text, rounded as app.rates rounds every rate."""
    return rates.format_percent(rate.part, rate.whole)


def reporting_period_start(period: str, today: date) -> date:
    """First day of the reporting period that contains today (weeks start on Monday)."""
    if period == "weekly":
        return today - timedelta(days=today.weekday())
    if period == "monthly":
        return today.replace(day=1)
    if period == "quarterly":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    raise ValueError(f"unknown reporting period {period!r}")
