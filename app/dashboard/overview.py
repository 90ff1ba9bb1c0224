"""The dashboard's first screen: the headline tiles against the like-for-like previous period,
the ranking strip of every unit, and the directives most behind.

Built from the figures app.dashboard.services counts (the same queries as the lists the
numbers link to); this module only chooses, compares and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import rates
from app.dashboard import services
from app.directives import services as directives
from app.directives import status
from app.directives.models import Assignment, Directive
from app.extensions import db
from app.formatting import format_number
from app.models import Unit
from app.text import sort_key

# How many directives the "most behind" block lists.
BEHIND_ROWS = 6

UP, DOWN, SAME = "up", "down", "same"
BETTER, WORSE, NEUTRAL = "better", "worse", "neutral"


@dataclass
class Tile:
    """One headline figure, its list, and how it moved against the previous period."""

    key: str
    label: str
    value: str
    href: str | None
    previous: str
    change: str  # "+3", "−2,5 điểm %", "" when either side has no value
    direction: str | None  # up, down, same; None when there is nothing to compare
    verdict: str  # better, worse, neutral (a count that is neither good nor bad when it grows)
    note: str = ""  # e.g. the unit with the most overdue tasks
    note_href: str | None = None
    rate: rates.Rate | None = None  # a rate tile's two counts, shown beside it, on hover and in print
    previous_rate: rates.Rate | None = None

    @property
    def arrow(self) -> str:
        return {UP: "▲", DOWN: "▼", SAME: "="}.get(self.direction or "", "")

    @property
    def verdict_text(self) -> str:
        if self.direction in (None, SAME):
            return _("không đổi") if self.direction == SAME else ""
        return {BETTER: _("tốt hơn"), WORSE: _("kém hơn")}.get(self.verdict, _("tăng") if self.direction == UP else _("giảm"))


def _direction(change: float | None) -> str | None:
    if change is None:
        return None
    return UP if change > 0 else DOWN if change < 0 else SAME


def _verdict(direction: str | None, higher_is_better: bool | None) -> str:
    if direction in (None, SAME) or higher_is_better is None:
        return NEUTRAL
    return BETTER if (direction == UP) == higher_is_better else WORSE


def _count_tile(key: str, label: str, current: services.Count, previous: services.Count,
                higher_is_better: bool | None) -> Tile:
    change = current.value - previous.value
    direction = _direction(change)
    return Tile(key, label, format_number(current.value), current.href, format_number(previous.value),
                ("+" if change > 0 else "") + format_number(change), direction, _verdict(direction, higher_is_better))


def _rate_tile(key: str, label: str, current: rates.Rate, previous: rates.Rate, href: str) -> Tile:
    """A rate's tile; the change in percentage points between the two printed figures."""
    now, before = (rates.percent_digits(r.part, r.whole) for r in (current, previous))
    change = None if now is None or before is None else now - before
    direction = _direction(change)
    text = ""
    if change is not None:
        sign = "+" if change > 0 else "−" if change < 0 else ""
        text = _("%(sign)s%(points)s điểm %%", sign=sign, points=format_number(abs(change)))
    return Tile(key, label, current.text, href, previous.text, text, direction, _verdict(direction, True),
                rate=current, previous_rate=previous)


def _days(value: float | None) -> str:
    return "—" if value is None else format_number(round(value, 1))


def tiles(current: dict, previous: dict, tasks: services.AssignmentSummary) -> list[Tile]:
    """The headline tiles from two periods' services.period_figures (current, previous)."""
    counts, before = current["counts"], previous["counts"]
    answered = services.Count(
        current["answered_on_time"].value + current["answered_late"].value, current["received"].href
    )
    answered_before = services.Count(previous["answered_on_time"].value + previous["answered_late"].value, "")
    out = [
        _rate_tile("completion", _("Tỷ lệ hoàn thành nhiệm vụ đến hạn"), counts.completion,
                   before.completion, tasks.links["all"]),
        _rate_tile("on_time", _("Tỷ lệ hoàn thành đúng hạn (trên số đã hoàn thành)"), counts.on_time,
                   before.on_time, tasks.links[status.DONE_ON_TIME]),
        _count_tile("open_overdue", _("Nhiệm vụ đang quá hạn"), current["open_overdue"],
                    previous["open_overdue"], False),
        _count_tile("received", _("Kiến nghị nhận được"), current["received"], previous["received"], None),
        _count_tile("answered", _("Kiến nghị đã trả lời"), answered, answered_before, True),
        _count_tile("pending_overdue", _("Kiến nghị quá hạn trả lời"), current["pending_overdue"],
                    previous["pending_overdue"], False),
    ]
    worst = worst_overdue_unit(tasks)
    if worst is not None:
        out[2].note = _("Nhiều nhất: %(unit)s (%(n)s)", unit=worst.unit.name, n=format_number(worst.counts[status.OPEN_OVERDUE]))
        out[2].note_href = worst.links[status.OPEN_OVERDUE]
    wait, wait_before = current["wait"].average, previous["wait"].average
    change = None if wait is None or wait_before is None else round(wait - wait_before, 1)
    direction = _direction(change)
    out.append(Tile(
        "average_days", _("Số ngày trả lời bình quân"), _days(wait), None, _days(wait_before),
        "" if change is None else ("+" if change > 0 else "−" if change < 0 else "") + format_number(abs(change)),
        direction, _verdict(direction, False),
        note=_("trên %(n)s kiến nghị đã trả lời", n=format_number(current["wait"].answered)),
    ))
    return out


def worst_overdue_unit(tasks: services.AssignmentSummary) -> services.UnitRow | None:
    """The unit with the most tasks open past their deadline (None when no task is overdue)."""
    rows = [r for r in tasks.communes + tasks.bodies if r.counts[status.OPEN_OVERDUE]]
    return min(rows, key=services.rank_key) if rows else None


# --- the ranking strip ----------------------------------------------------------------------


@dataclass
class StripCell:
    unit: Unit
    rate: rates.Rate | None  # due-completion rate; None when the unit has no task in the period
    due: int
    overdue: int
    href: str

    @property
    def rate_text(self) -> str:
        return rates.NO_RATE if self.rate is None else self.rate.text

    @cached_property
    def value(self) -> Decimal | None:
        """The printed percentage (None when no task was due): what the strip sorts and shades by."""
        return None if self.rate is None else rates.percent_digits(self.rate.part, self.rate.whole)

    @property
    def band(self) -> str:
        """A shade for the cell: the rate's band (the number is printed in it too)."""
        if self.value is None:
            return "none"
        if self.value < 50:
            return "low"
        if self.value < 80:
            return "mid"
        return "high"


def ranking_strip(scope: services.Scope, tasks: services.AssignmentSummary) -> list[StripCell]:
    """Every active unit (or the one chosen) by due-completion rate, the worst first.

    Units with no task due in the period come last (they have no rate); ties go to the unit
    with more overdue tasks, then by name.
    """
    rows = {r.unit.id: r for r in tasks.communes + tasks.bodies}
    if scope.unit is not None:
        units = [scope.unit]
    else:
        units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True))))
    path = url_for("directives.assignments")
    cells = []
    for unit in units:
        row = rows.get(unit.id)
        if row is not None:
            cells.append(StripCell(unit, row.counts.completion, row.counts.due,
                                   row.counts[status.OPEN_OVERDUE], row.links["all"]))
        else:
            cells.append(StripCell(unit, None, 0, 0, services.assignments_url(scope, unit_id=unit.id, path=path)))
    cells.sort(key=lambda c: (c.value is None, c.value if c.value is not None else 0, -c.overdue,
                              sort_key(c.unit.name)))
    return cells


# --- the directives most behind -------------------------------------------------------------


@dataclass
class Behind:
    directive: Directive
    counts: status.Counts  # every unit the directive was sent to (that the user sees)
    href: str

    @property
    def units(self) -> int:
        return self.counts.active_total

    def share(self, key: str) -> float:
        return self.counts[key] / self.units if self.units else 0.0


def most_behind(user, scope: services.Scope, limit: int = BEHIND_ROWS) -> list[Behind]:
    """The directives with the most units past the deadline (on the period's as-of day), among
    those with a task followed in the period, each with its whole x/N roll-up."""
    on: date = scope.period.as_of
    # Only the overdue tasks counted, as the assignments list filtered on them selects them (not
    # every task followed with a CASE: the directives with none drop out either way). That filter
    # puts the overdue test before the period's: SQLite tests a row's conditions in the order
    # written, and most tasks of a long period are done, which the overdue test rules out first
    # (five years: 12.8 -> 7.6 ms).
    overdue = func.count()
    ranked = (
        directives.filtered_assignments(user, services.assignment_filters(scope, status.OPEN_OVERDUE), on,
                                        counting=True)
        .with_only_columns(Assignment.directive_id, overdue.label("overdue"))
        .group_by(Assignment.directive_id)
        .order_by(overdue.desc(), Assignment.directive_id)
        .limit(limit)
    )
    ids = [directive_id for directive_id, _n in db.session.execute(ranked)]
    if not ids:
        return []
    found = {d.id: d for d in db.session.scalars(select(Directive).where(Directive.id.in_(ids)))}
    counts = directives.counts_by_directive(ids, on, user)
    return [Behind(found[i], counts[i], url_for("directives.detail", directive_id=i)) for i in ids]


STRIP_LEGEND = (
    ("low", _l("dưới 50%")),
    ("mid", _l("50% đến dưới 80%")),
    ("high", _l("từ 80%")),
    ("none", _l("chưa có nhiệm vụ đến hạn")),
)
