"""Statuses in SQL and the roll-ups built on them: counts per directive, the province's
counts, a directive's assignment rows and who has not reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, false, func, literal, or_, select
from sqlalchemy.orm import contains_eager

from app import clock, search
from app import settings as app_settings
from app.directives import status, workflow
from app.directives.models import (
    Assignment,
    Directive,
    ProgressReport,
)
from app.directives.visibility import scope_assignments
from app.extensions import db
from app.local_days import day_number
from app.models import Unit


def due_soon_days() -> int:
    return app_settings.get_int("due_soon_days")


def deadline_sql():
    """The deadline in force, as SQL: the approved extension, else the original."""
    return func.coalesce(Assignment.extended_deadline, Assignment.original_deadline)


def status_key_sql(on: date):
    """status.classify_assignment written as a SQL CASE, for filters and a task's own key;
    counts grouped by unit or directive go through status_counts_by, held equal to it.

    Over the day-number columns (Assignment.due_day, done_day: integers kept by the database),
    which the grouped counts read from narrow indexes at a fraction of the cost of comparing ISO
    texts through coalesce. tests/directives/test_status_sql.py checks that both give the same key.
    """
    day = day_number(on)
    due, done = Assignment.due_day, Assignment.done_day
    return case(
        (Assignment.state == workflow.CANCELLED, literal(status.CANCELLED)),
        (Assignment.state == workflow.SUSPENDED, literal(status.SUSPENDED)),
        (due.is_(None), literal(status.ONGOING)),
        (
            and_(Assignment.state == workflow.DONE, done <= day),
            case((done <= due, literal(status.DONE_ON_TIME)), else_=literal(status.DONE_LATE)),
        ),
        (due >= day, literal(status.OPEN_ON_TIME)),
        else_=literal(status.OPEN_OVERDUE),
    )


def status_counts_by(query, column, on: date) -> dict:
    """Five-way counts of query's tasks per value of column (Assignment.unit_id, directive_id),
    equal to grouping status_key_sql(on) by column, in a form the database counts without
    sorting: the one way the roll-ups, the province's counts and the dashboard count statuses.

    Grouped by (column, key), SQLite sorts every task in a temporary B-tree on the computed key:
    on five years of a province (56,000 tasks) that sort is half the dashboard's largest
    statement. Grouped by (column, state), the order of ix_assignments_unit_days for a unit, each
    group is counted as the index is read, with the day comparisons the CASE makes counted
    alongside (FILTER); _split_state then classes each state's tasks in the CASE's order.
    tests/directives/test_status_sql.py checks both give the same counts for every combination
    of state, deadline, extension, completion and day.
    """
    day = day_number(on)
    due, done = Assignment.due_day, Assignment.done_day
    finished = done <= day
    rows = db.session.execute(
        query.with_only_columns(
            column,
            Assignment.state,
            func.count(),
            func.count().filter(due.is_(None)),
            func.count().filter(finished, done <= due),
            func.count().filter(finished, due.is_not(None)),
            func.count().filter(due >= day),
            func.count().filter(due >= day, finished),
        ).group_by(column, Assignment.state)
    )
    grouped: dict = {}
    for value, state, *numbers in rows:
        counts = grouped.setdefault(value, status.Counts())
        for key, number in _split_state(state, *numbers).items():
            counts.by_key[key] += number
    return grouped


def _split_state(state, number, no_deadline, done_on_time, done_by_day, due_ahead, due_ahead_done):
    """The tasks of one state classed as status_key_sql's CASE classes them, in its order:
    cancelled, suspended, no deadline (ongoing), done by the day with a deadline (on time when
    by it, else late), a deadline not yet passed (open on time), the rest overdue. The day
    counts of a task in any state but done are ignored: only a done task counts as finished."""
    if state == workflow.CANCELLED:
        return {status.CANCELLED: number}
    if state == workflow.SUSPENDED:
        return {status.SUSPENDED: number}
    if state != workflow.DONE:
        done_on_time = done_by_day = due_ahead_done = 0
    open_on_time = due_ahead - due_ahead_done
    return {
        status.ONGOING: no_deadline,
        status.DONE_ON_TIME: done_on_time,
        status.DONE_LATE: done_by_day - done_on_time,
        status.OPEN_ON_TIME: open_on_time,
        status.OPEN_OVERDUE: number - no_deadline - done_by_day - open_on_time,
    }


def status_clause(key: str, on: date):
    """WHERE clause equivalent to status_key_sql(on) == key, in a form an index on state can serve
    (the CASE hides the state from the planner, so filtering on it reads every assignment).

    tests/perf/test_status_clause.py checks both select the same rows.
    """
    deadline = deadline_sql()
    state = Assignment.state
    if key == status.CANCELLED:
        return state == workflow.CANCELLED
    if key == status.SUSPENDED:
        return state == workflow.SUSPENDED
    if key == status.ONGOING:
        return and_(state.not_in((workflow.CANCELLED, workflow.SUSPENDED)), deadline.is_(None))
    # Done by the day judged on; a task finished after it was still open that day.
    done_by_then = and_(state == workflow.DONE, Assignment.completed_on <= on)
    open_then = or_(
        state.in_(workflow.OPEN_STATES),
        and_(state == workflow.DONE, or_(Assignment.completed_on.is_(None), Assignment.completed_on > on)),
    )
    if key == status.DONE_ON_TIME:
        return and_(done_by_then, Assignment.completed_on <= deadline)
    if key == status.DONE_LATE:
        return and_(done_by_then, deadline.is_not(None), Assignment.completed_on > deadline)
    if key == status.OPEN_ON_TIME:
        return and_(open_then, deadline >= on)
    if key == status.OPEN_OVERDUE:
        return and_(open_then, deadline < on)
    return false()


def counts_by_directive(directive_ids: list[int], on: date, user=None) -> dict[int, status.Counts]:
    """Five-way counts of each directive's assignments (only those user sees, when given)."""
    if not directive_ids:
        return {}
    query = select(Assignment).where(Assignment.directive_id.in_(directive_ids))
    if user is not None:
        query = scope_assignments(query, user)
    grouped = status_counts_by(query, Assignment.directive_id, on)
    return {directive_id: grouped.get(directive_id, status.Counts()) for directive_id in directive_ids}


def overall_counts(on: date) -> status.Counts:
    """Five-way counts of every assignment in the province (the leader's panel): the units'
    counts added up, read in the order of ix_assignments_unit_days like the dashboard's."""
    return status.add_up(status_counts_by(select(Assignment), Assignment.unit_id, on).values())


@dataclass
class AssignmentRow:
    assignment: Assignment
    status: status.Status
    latest_report: ProgressReport | None
    reported_this_period: bool

    @property
    def unit(self) -> Unit:
        return self.assignment.unit


def latest_reports(assignment_ids: list[int]) -> dict[int, ProgressReport]:
    """Each assignment's most recent progress report."""
    if not assignment_ids:
        return {}
    newest = (
        select(func.max(ProgressReport.id))
        .where(ProgressReport.assignment_id.in_(assignment_ids))
        .group_by(ProgressReport.assignment_id)
    )
    reports = db.session.scalars(select(ProgressReport).where(ProgressReport.id.in_(newest)))
    return {report.assignment_id: report for report in reports}


def assignment_rows(directive: Directive, user, on: date, soon: int) -> list[AssignmentRow]:
    """The directive's assignments user may see, with status and latest report, units in order."""
    return assignment_rows_by_directive([directive], user, on, soon)[directive.id]


# Directives whose rows assignment_rows_by_directive reads in one go. Their assignment ids then
# go into one IN list, and SQLite takes 32,766 parameters at most: 150 directives sent to every
# one of the ~190 units of a province stay below it.
ROWS_BATCH = 150


def assignment_rows_by_directive(directive_list: list[Directive], user, on: date,
                                 soon: int) -> dict[int, list[AssignmentRow]]:
    """assignment_rows of each directive, read a batch of directives at a time (two statements
    per batch, not two per directive: a report over a quarter's 160 directives)."""
    out: dict[int, list[AssignmentRow]] = {d.id: [] for d in directive_list}
    for first in range(0, len(directive_list), ROWS_BATCH):
        batch = {d.id: d for d in directive_list[first:first + ROWS_BATCH]}
        # The unit loaded into each assignment (not beside it): the rows are sorted and named by it later.
        query = (
            scope_assignments(select(Assignment), user)
            .join(Assignment.unit)
            .options(contains_eager(Assignment.unit))
            .where(Assignment.directive_id.in_(list(batch)))
        )
        assignments = list(db.session.scalars(query))
        reports = latest_reports([a.id for a in assignments])
        starts = {
            d.id: status.reporting_period_start(d.reporting_period, on)
            if d.is_ongoing and d.reporting_period else None
            for d in batch.values()
        }
        for assignment in assignments:
            latest = reports.get(assignment.id)
            period_start = starts[assignment.directive_id]
            reported = latest is not None and (
                period_start is None or clock.local_date(latest.created_at) >= period_start
            )
            out[assignment.directive_id].append(
                AssignmentRow(assignment, assignment.status_on(on, soon), latest, reported))
    for rows in out.values():
        rows.sort(key=lambda r: (r.assignment.role != workflow.LEAD, *r.unit.order_key))
    return out


ROWS_AWAITING = "awaiting"


def filter_rows(rows: list[AssignmentRow], wanted_status: str | None = None, role: str | None = None,
                unit_q: str | None = None) -> list[AssignmentRow]:
    """The directive page's rows that match its filters: a five-way status key or "awaiting"
    (confirmation), a role, and a search on the unit's name (app.search's meaning)."""
    shown = rows
    if wanted_status in status.ALL_KEYS:
        shown = [r for r in shown if r.status.key == wanted_status]
    elif wanted_status == ROWS_AWAITING:
        shown = [r for r in shown if r.assignment.state == workflow.AWAITING_CONFIRMATION]
    if role in workflow.ROLES:
        shown = [r for r in shown if r.assignment.role == role]
    if unit_q:
        shown = [r for r in shown if search.matches_text(unit_q, r.unit.name_folded)]
    return shown


def not_reported(rows: list[AssignmentRow]) -> list[AssignmentRow]:
    """Units still working on it that have sent no report (in this period, for ongoing ones)."""
    return [r for r in rows if r.assignment.state == workflow.IN_PROGRESS and not r.reported_this_period]


def reported_sql(on: date):
    """AssignmentRow.reported_this_period as SQL, over Assignment joined to its Directive.

    The same rule as assignment_rows: the assignment's latest report (the highest id) exists
    and, for an ongoing directive with a reporting period, was sent on or after the first day
    of the period containing on. Compared in UTC with the start of that local day, as
    tracked_in_period does. The latest report's time is the one the database keeps on the
    assignment (Assignment.last_report_at). tests/directives/test_reported_sql.py checks both agree.
    """
    latest = Assignment.last_report_at
    no_period = or_(
        Directive.is_ongoing.is_(False),
        Directive.reporting_period.is_(None),
        Directive.reporting_period.not_in(status.REPORTING_PERIODS),
    )
    in_period = [
        and_(
            Directive.reporting_period == period,
            latest >= clock.start_of_day(status.reporting_period_start(period, on)),
        )
        for period in status.REPORTING_PERIODS
    ]
    return and_(latest.is_not(None), or_(no_period, *in_period))
