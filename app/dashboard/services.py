"""The figures the dashboard and the printed reports show, computed once, the same way.

Every count is taken with the very query the list screen runs for the link it carries
(proposals.services.list_query, directives.services.search_assignments), so following a
number's link shows exactly the rows that make it up. Tasks are classified by
directives.status (through its SQL twin) and rated by its two rate functions.

Period semantics (the page says them too):
- proposals are counted by the date they were sent, within the period; their state and
  answer timeliness are as they stand today, as on the list screen;
- tasks (assignments) followed in the period are those given by its last day and not
  finished before its first; their five-way status is taken on the period's last day (or
  today, when that is earlier).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from urllib.parse import urlencode

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased, selectinload

from app import clock, rates
from app.dashboard.period import Period
from app.directives import services as directives
from app.directives import status
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment, Directive
from app.extensions import db
from app.formatting import format_number
from app.models import Field, Unit
from app.proposals import services as proposals
from app.proposals import timeliness, workflow
from app.proposals.models import Proposal
from app.text import sort_key

# Reporting completeness looks at directives sent to at least this many units.
MANY_UNITS = 2
TOP_OVERDUE = 10
# States a proposal the province has received can be in (drafts are the commune's own).
SENT_STATES = tuple(s for s in workflow.STATES if s != workflow.DRAFT)


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period, and optionally one field or one unit."""

    period: Period
    field_id: int | None = None
    unit: Unit | None = None

    def for_period(self, period: Period) -> Scope:
        return replace(self, period=period)


@dataclass(frozen=True)
class Count:
    """A number and the list that makes it up."""

    value: int
    href: str


def count_html(count: Count | dict) -> Markup:
    """The one way the dashboard shows a count (the template global ``count``): the number,
    linking to the list that makes it up. count: a Count, or a mapping with value and href.
    Python, not a Jinja macro: the ranking tables show over a thousand of them."""
    value, href = (count["value"], count["href"]) if isinstance(count, dict) else (count.value, count.href)
    value = int(value)  # a whole number, written in digits and dots: nothing in it to escape
    return Markup(f'<a href="{escape(href)}" data-count="{value}">{format_number(value)}</a>')  # noqa: S704 — escaped


def count_of(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


# --- proposals ------------------------------------------------------------------------------


def proposal_filters(scope: Scope, *, dated: bool = True, **extra) -> proposals.ListFilters:
    """The proposal list's filters for scope (sent in the period unless dated is False)."""
    filters = proposals.ListFilters(**{"field_id": scope.field_id, **extra})
    if dated:
        filters.date_from, filters.date_to = scope.period.start, scope.period.end
    if scope.unit is not None:
        if scope.unit.is_commune:
            filters.commune_id = scope.unit.id
        else:
            filters.department_id = scope.unit.id
    return filters


def proposal_query(user, filters: proposals.ListFilters, order_by=None) -> Select:
    return proposals.list_query(user, filters, order_by if order_by is not None else Proposal.id)


def proposals_url(filters: proposals.ListFilters, path: str | None = None) -> str:
    """The proposal list's URL for filters. path: url_for("proposals.index") when the caller
    makes many (four per lead department): the query string is then joined here, as url_for
    would (the dashboard's filters are ids, keys and ISO dates), at a fraction of its cost."""
    if path is None:
        return url_for("proposals.index", **filters.as_args())
    args = filters.as_args()
    return f"{path}?{urlencode(args)}" if args else path


def proposal_count(user, scope: Scope, **extra) -> Count:
    filters = proposal_filters(scope, **extra)
    return Count(count_of(proposals.filtered_query(user, filters)), url_for("proposals.index", **filters.as_args()))


@dataclass
class DepartmentRow:
    """How one lead department answers the proposals sent in the period."""

    unit: Unit
    answered_on_time: Count
    answered_late: Count
    pending_on_time: Count
    pending_overdue: Count
    average_days: float | None  # from assignment to answer, over the answered ones

    @property
    def answered(self) -> int:
        return self.answered_on_time.value + self.answered_late.value


@dataclass(frozen=True)
class Wait:
    """Days from assignment to answer, summed over the answered proposals, and how many."""

    total_days: int
    answered: int

    @property
    def average(self) -> float | None:
        return self.total_days / self.answered if self.answered else None


@dataclass
class ProposalSummary:
    total: Count
    by_state: list[tuple[str, str, Count]]  # (state, label, count)
    by_field: list[tuple[Field, Count]]
    timeliness: list[tuple[str, str, Count]]  # (key, label, count)
    departments: list[DepartmentRow]
    wait: Wait = field(default_factory=lambda: Wait(0, 0))  # every lead department's answers together

    def timeliness_count(self, key: str) -> Count:
        return next(count for k, _label, count in self.timeliness if k == key)


@dataclass
class ProposalGroups:
    """The proposals the list shows for some filters, counted four ways from one statement."""

    by_state: dict[str, int]
    by_field: dict[int | None, int]
    tallies: dict[int | None, dict[str, int]]  # lead department (None: not assigned) -> class -> count
    waits: dict[int, list[int]]  # lead department -> [days from assignment to answer summed, answered]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def wait(self) -> Wait:
        return Wait(sum(w[0] for w in self.waits.values()), sum(w[1] for w in self.waits.values()))


ANSWERED_KEYS = (timeliness.ANSWERED_ON_TIME, timeliness.ANSWERED_LATE)


def proposal_groups(user, filters: proposals.ListFilters) -> ProposalGroups:
    """The proposals the list shows for filters, by state, by field, and per lead department
    (None: not assigned) and answer timeliness, each proposal classed by the list filter's own
    clauses (proposals.timeliness_clause), so that each count is what the list filtered by that
    state, field, or department and class shows; and per lead department, the days from
    assignment (the province's calendar day) to answer of its answered proposals, summed.

    One grouped statement over the period's rows, not one per grouping: reading the rows is
    what costs, whatever they are grouped by (ix_proposals_sent holds every column read here).
    """
    key = case(
        *((proposals.timeliness_clause(k, clock.today()), k) for k in timeliness.KEYS),
        else_=timeliness.NOT_APPLICABLE,
    )
    # Grouped from a subquery: PostgreSQL would not match a CASE with bound values in GROUP BY.
    # The list's filters without its join to the commune (which only sorts): the same rows.
    sub = proposals.filtered_query(user, filters).with_only_columns(
        Proposal.state, Proposal.field_id, Proposal.lead_unit_id, key.label("key"),
        (Proposal.answer_day - Proposal.assigned_day).label("days"),
    ).subquery()
    columns = (sub.c.state, sub.c.field_id, sub.c.lead_unit_id, sub.c.key)
    # days is NULL without an assignment date (or an answer): such proposals have no wait.
    grouped = select(*columns, func.count(), func.sum(sub.c.days), func.count(sub.c.days)).group_by(*columns)
    groups = ProposalGroups(defaultdict(int), defaultdict(int),
                            defaultdict(lambda: dict.fromkeys(timeliness.KEYS, 0)), defaultdict(lambda: [0, 0]))
    for state, field_id, lead_id, class_key, number, days, waited in db.session.execute(grouped):
        groups.by_state[state] += number
        groups.by_field[field_id] += number
        tally = groups.tallies[lead_id]  # made even if nothing counts: the lead still has its row
        if class_key in timeliness.KEYS:
            tally[class_key] += number
        if class_key in ANSWERED_KEYS and lead_id is not None and waited:
            wait = groups.waits[lead_id]
            wait[0] += int(days)
            wait[1] += waited
    return groups


def proposal_summary(user, scope: Scope) -> ProposalSummary:
    """Proposals sent in the period: by state, by field, by timeliness, by lead department."""
    base = proposal_filters(scope)
    groups = proposal_groups(user, base)

    def link(**extra) -> str:
        return url_for("proposals.index", **proposal_filters(scope, **extra).as_args())

    by_state = [
        (state, workflow.STATE_LABELS[state], Count(groups.by_state.get(state, 0), link(state=state)))
        for state in SENT_STATES
    ]
    fields = {f.id: f for f in db.session.scalars(select(Field).where(Field.id.in_(list(groups.by_field))))}
    by_field = sorted(
        ((fields[fid], Count(n, link(field_id=fid))) for fid, n in groups.by_field.items() if fid in fields),
        key=lambda pair: (-pair[1].value, pair[0].sort_order, sort_key(pair[0].name)),
    )
    counts = timeliness_counts(user, scope, groups.tallies)
    timely = [(key, timeliness.LABELS[key], counts[key]) for key in timeliness.KEYS]
    return ProposalSummary(
        total=Count(groups.total, link()),
        by_state=by_state,
        by_field=by_field,
        timeliness=timely,
        departments=_departments(base, groups.tallies, groups.waits),
        wait=groups.wait,
    )


def timeliness_counts(user, scope: Scope, tallies: dict | None = None) -> dict[str, Count]:
    """Proposals sent in the period per answer timeliness class, each with its list's link."""
    filters = proposal_filters(scope)
    tallies = tallies if tallies is not None else proposal_groups(user, filters).tallies
    return {
        key: Count(sum(tally[key] for tally in tallies.values()),
                   url_for("proposals.index", **replace(filters, timeliness=key).as_args()))
        for key in timeliness.KEYS
    }


def answer_wait(user, scope: Scope) -> Wait:
    """The average wait's parts over every lead department, for proposals sent in the period."""
    return proposal_groups(user, proposal_filters(scope)).wait


def _departments(base: proposals.ListFilters, tallies: dict, waits: dict) -> list[DepartmentRow]:
    """tallies' lead departments, each with its counts' links and its average wait."""
    tallies = {lead_id: tally for lead_id, tally in tallies.items() if lead_id is not None}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(tallies))))}

    path = url_for("proposals.index")

    def link(lead_id: int, key: str) -> str:
        return proposals_url(replace(base, lead_id=lead_id, timeliness=key), path)

    out = []
    for lead_id, tally in tallies.items():
        counts = {key: Count(tally[key], link(lead_id, key)) for key in timeliness.KEYS}
        total_days, answered_count = waits.get(lead_id, (0, 0))
        out.append(DepartmentRow(
            unit=units[lead_id],
            answered_on_time=counts[timeliness.ANSWERED_ON_TIME],
            answered_late=counts[timeliness.ANSWERED_LATE],
            pending_on_time=counts[timeliness.PENDING_ON_TIME],
            pending_overdue=counts[timeliness.PENDING_OVERDUE],
            average_days=total_days / answered_count if answered_count else None,
        ))
    out.sort(key=lambda r: (-r.pending_overdue.value, -r.answered_late.value, sort_key(r.unit.name)))
    return out


# --- tasks (directive assignments) ------------------------------------------------------------


def assignment_filters(scope: Scope, view: str = directives.LIST_ALL, unit_id: int | None = None) -> dict:
    """The assignments list's filters for scope: followed in the period, in one status view."""
    return {
        "status": view,
        "unit_id": unit_id or (scope.unit.id if scope.unit else None),
        "field_id": scope.field_id,
        "date_from": scope.period.start,
        "date_to": scope.period.end,
    }


def assignments_url(scope: Scope, view: str = directives.LIST_ALL, unit_id: int | None = None,
                    path: str | None = None) -> str:
    """The assignments list's URL for scope. path: url_for("directives.assignments") when the
    caller makes many (every unit's eight links): the query string is then joined here, as
    url_for would (the values are keys, ids and ISO dates), at a fraction of its cost."""
    filters = assignment_filters(scope, view, unit_id)
    args = {key: value.isoformat() if isinstance(value, date) else value for key, value in filters.items() if value}
    if path is None:
        return url_for("directives.assignments", **args)
    return f"{path}?{urlencode(args)}"


def assignment_query(user, scope: Scope, view: str = directives.LIST_ALL, unit_id: int | None = None) -> Select:
    """The assignments list's query for scope, statuses taken on the period's as-of day."""
    return directives.search_assignments(user, assignment_filters(scope, view, unit_id), scope.period.as_of)


def followed_assignments(user, scope: Scope) -> Select:
    """assignment_query's rows (the tasks followed in the period), unordered and unloaded, to
    aggregate over directly rather than through a list of their ids (joined to the directive
    and unit only when the field filter needs it: the same rows)."""
    return directives.filtered_assignments(user, assignment_filters(scope), scope.period.as_of, counting=True)


def _status_counts(user, scope: Scope) -> dict[int, status.Counts]:
    """Five-way counts per unit of the tasks followed in the period (read through
    ix_assignments_unit_days, which holds every column used: unit, state, the day numbers)."""
    return directives.status_counts_by(followed_assignments(user, scope), Assignment.unit_id, scope.period.as_of)


@dataclass
class UnitRow:
    unit: Unit
    counts: status.Counts
    links: dict[str, str]  # status key (and "all") -> list URL


@dataclass
class AssignmentSummary:
    as_of: date
    counts: status.Counts
    links: dict[str, str]  # status key (and "all") -> list URL
    communes: list[UnitRow] = field(default_factory=list)
    bodies: list[UnitRow] = field(default_factory=list)

    def count(self, key: str) -> Count:
        """The number of tasks in one class ("all": every task followed) and its list."""
        return Count(self.counts.total if key == "all" else self.counts[key], self.links[key])


def _links(scope: Scope, unit_id: int | None = None, path: str | None = None, tail: str | None = None) -> dict[str, str]:
    """Every status key's (and "all") assignments list URL for scope and unit, as
    assignments_url writes them: the part of the query string after status and unit_id (field
    and dates) is encoded once, not for each of a unit's nine links; tail: that part as
    _links_tail gave it, when the caller makes every unit's links (159 units per dashboard)."""
    path = path or url_for("directives.assignments")
    unit_id = unit_id or (scope.unit.id if scope.unit else None)
    head = f"unit_id={unit_id}" if unit_id else ""
    tail = _links_tail(scope) if tail is None else tail
    rest = "&".join(part for part in (head, tail) if part)
    rest = "&" + rest if rest else ""
    links = {key: f"{path}?{_STATUS_ARGS[key]}{rest}" for key in status.ALL_KEYS}
    links["all"] = f"{path}?{_STATUS_ARGS[directives.LIST_ALL]}{rest}"
    return links


def _links_tail(scope: Scope) -> str:
    """The assignments list's query string for scope after status and unit_id: field and dates."""
    filters = assignment_filters(scope)
    return urlencode({k: v.isoformat() if isinstance(v, date) else v
                      for k, v in filters.items() if v and k not in ("status", "unit_id")})


_STATUS_ARGS = {key: urlencode({"status": key}) for key in (*status.ALL_KEYS, directives.LIST_ALL)}


def rank_key(row: UnitRow):
    """Most overdue tasks first, then the lowest completion rate (units with none due last)."""
    rate = row.counts.completion
    due = rate.whole
    # done/due as an exact fraction: two units with 1.999/2.000 and 2.000/2.000 never tie.
    return (-row.counts[status.OPEN_OVERDUE], due == 0, Fraction(rate.part, due) if due else 0, sort_key(row.unit.name))


def assignment_summary(user, scope: Scope, per_unit: bool = True) -> AssignmentSummary:
    """The five-way split of the tasks followed in the period, overall and per unit, ranked."""
    by_unit = _status_counts(user, scope)
    summary = AssignmentSummary(as_of=scope.period.as_of, counts=status.add_up(by_unit.values()), links=_links(scope))
    if per_unit and by_unit:
        units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(by_unit))))}
        path = url_for("directives.assignments")
        tail = _links_tail(scope)
        rows = [UnitRow(units[uid], counts, _links(scope, uid, path, tail)) for uid, counts in by_unit.items()]
        rows.sort(key=rank_key)
        summary.communes = [r for r in rows if r.unit.is_commune]
        summary.bodies = [r for r in rows if not r.unit.is_commune]
    return summary


# --- the most overdue items -----------------------------------------------------------------


@dataclass
class OverdueItem:
    kind: str  # "proposal" or "assignment"
    title: str
    unit: Unit | None  # who must act: the lead department, or the assigned unit
    other: str  # the commune that asked (proposals), the directive's issuer (tasks)
    deadline: date
    days_overdue: int
    href: str


def top_overdue(user, scope: Scope, limit: int = TOP_OVERDUE) -> list[OverdueItem]:
    """The most overdue proposals (today) and tasks (on the as-of day), most days first.

    Not limited to what was sent in the period: what is late is late, whenever it came in.
    """
    items: list[OverdueItem] = []
    today = clock.today()
    filters = proposal_filters(scope, dated=False, timeliness=timeliness.PENDING_OVERDUE)
    # The list's rows in its order, loading only what is shown (not its field, meeting, supporters).
    query = (
        proposals.filtered_query(user, filters)
        .order_by(Proposal.answer_deadline.asc(), Proposal.id.desc())
        .options(selectinload(Proposal.lead_unit), selectinload(Proposal.commune))
        .limit(limit)
    )
    for proposal in db.session.scalars(query):
        items.append(OverdueItem(
            "proposal", proposal.title, proposal.lead_unit, proposal.commune.name, proposal.answer_deadline,
            (today - proposal.answer_deadline).days, url_for("proposals.detail", proposal_id=proposal.id),
        ))
    on = scope.period.as_of
    for assignment in db.session.scalars(assignment_query(user, scope, status.OPEN_OVERDUE).limit(limit)):
        standing = assignment.status_on(on)
        items.append(OverdueItem(
            "assignment", assignment.directive.title, assignment.unit, assignment.directive.issued_by_name,
            assignment.deadline, standing.days_overdue,
            url_for("directives.assignment", assignment_id=assignment.id),
        ))
    items.sort(key=lambda item: (-item.days_overdue, item.title))
    return items[:limit]


# --- reporting completeness -----------------------------------------------------------------


@dataclass(frozen=True)
class MissingReport:
    """A unit still working on a directive that has not reported."""

    assignment_id: int
    unit: Unit


@dataclass
class Completeness:
    directive: Directive
    working: int  # units still working on it (they owe reports)
    missing: list[MissingReport]  # of those, the ones that have not reported, in the directive page's order
    href: str

    @property
    def reported(self) -> int:
        return self.working - len(self.missing)


@dataclass
class CompletenessTable:
    """The directives awaiting reports, worst first: all of them, or the first few."""

    rows: list[Completeness]
    total: int  # directives in the whole table

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def reporting_completeness(user, scope: Scope, limit: int | None = None) -> CompletenessTable:
    """For each open directive sent to many units: who has reported, and who has not.

    "Reported" as on the directive page: in the current reporting period for ongoing
    directives (weekly, monthly, quarterly), at least once for directives with a deadline
    (directives.reported_sql, the SQL twin of directives.assignment_rows). Ranked in SQL, most
    units missing first, then by id; limit keeps the first rows only (the dashboard shows the
    worst, and the whole table on demand), whose units alone are then loaded. Four statements
    whatever the number of directives: the ranked directives with their counts, the units
    that have not reported, those units' names, and the directives' fields.
    """
    # Directives with a task followed in the period that is still open, sent to many units.
    # The open tasks as the assignments list selects them (their state tested before the period:
    # SQLite tests a row's conditions in the order written, and most tasks are not open).
    # DISTINCT: SQLite then reads the directives off ix_assignments_directive_state in one pass
    # rather than merging two ranges of the state index (a third of this statement's time).
    followed_open = (
        directives.filtered_assignments(user, assignment_filters(scope, directives.LIST_OPEN), scope.period.as_of,
                                        counting=True)
        .with_only_columns(Assignment.directive_id)
        .distinct()
    )
    # Sent to at least MANY_UNITS units: whether a MANY_UNITS-th task exists, not their count.
    sent_to = aliased(Assignment)
    sent_to_many = select(sent_to.id).where(sent_to.directive_id == Directive.id).limit(1).offset(MANY_UNITS - 1).exists()
    candidates = select(Directive.id).where(Directive.id.in_(followed_open), sent_to_many)
    # Every assignment of those directives the user sees (in the unit chosen, if any) whose
    # unit is still working on it, whether or not the period follows that assignment.
    working = [
        Assignment.directive_id.in_(candidates),
        Assignment.state == directive_workflow.IN_PROGRESS,
    ]
    if scope.unit is not None:
        working.append(Assignment.unit_id == scope.unit.id)
    not_reported = ~directives.reported_sql(scope.period.as_of)
    # Per directive: units working, and of those, units that have not reported.
    missing_count = func.count(case((not_reported, 1)))
    counted = (
        directives.scope_assignments(
            select(Assignment.directive_id, func.count().label("working"), missing_count.label("missing")), user,
        )
        .join(Assignment.directive)
        .where(*working)
        .group_by(Assignment.directive_id)
        .subquery()
    )
    ranked = (
        select(Directive, counted.c.working, func.count().over().label("total"))
        .join(counted, counted.c.directive_id == Directive.id)
        .options(selectinload(Directive.field))
        .order_by(counted.c.missing.desc(), Directive.id)
        .limit(limit)
    )
    directives_working = db.session.execute(ranked).all()
    if not directives_working:
        return CompletenessTable([], 0)
    shown = [directive.id for directive, _working, _total in directives_working]
    # The rows shown are among the candidates: name them rather than work the candidates out again.
    of_shown = [Assignment.directive_id.in_(shown), *working[1:]] if limit is not None else working
    missing_query = (
        directives.scope_assignments(
            select(Assignment.directive_id, Assignment.id, Assignment.unit_id, Assignment.role), user,
        )
        .join(Assignment.directive)
        .where(*of_shown, not_reported)
    )
    missing_rows = db.session.execute(missing_query).all()
    unit_ids = {unit_id for _d, _a, unit_id, _r in missing_rows}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    # Each unit's place in the one order units are shown in (Unit.order_key), worked out once.
    place = {uid: n for n, uid in enumerate(sorted(units, key=lambda uid: units[uid].order_key))}
    missing: dict[int, list] = defaultdict(list)
    for directive_id, assignment_id, unit_id, role in missing_rows:
        # The directive page's order (directives.assignment_rows): leads first, bodies before communes.
        missing[directive_id].append((role != directive_workflow.LEAD, place[unit_id], assignment_id, unit_id))
    out = []
    for directive, working_count, _total in directives_working:
        rows = [MissingReport(assignment_id, units[unit_id])
                for _lead, _place, assignment_id, unit_id in sorted(missing.get(directive.id, ()))]
        href = url_for("directives.detail", directive_id=directive.id)
        out.append(Completeness(directive, working_count, rows, href))
    return CompletenessTable(out, directives_working[0].total)


# --- the trend ------------------------------------------------------------------------------


@dataclass
class TrendRow:
    label: str
    current: Count | rates.Rate
    previous: Count | rates.Rate

    @property
    def change(self) -> int | None:
        if isinstance(self.current, Count) and isinstance(self.previous, Count):
            return self.current.value - self.previous.value
        return None


def period_figures(
    user, scope: Scope, props: ProposalSummary | None = None, tasks: AssignmentSummary | None = None
) -> dict:
    """The headline figures of one period: counts with their lists, the task counts, the wait.

    props and tasks: the period's summaries when the caller has them already (the dashboard
    does for the current period), so that they are not counted twice; the same figures, from
    the same queries.
    """
    summary = tasks if tasks is not None else assignment_summary(user, scope, per_unit=False)
    if props is not None:
        received = props.total
        timely = {key: props.timeliness_count(key) for key in timeliness.KEYS}
        wait = props.wait
    else:
        groups = proposal_groups(user, proposal_filters(scope))
        received = Count(groups.total, url_for("proposals.index", **proposal_filters(scope).as_args()))
        timely = timeliness_counts(user, scope, groups.tallies)
        wait = groups.wait
    return {
        "received": received,
        "answered_on_time": timely[timeliness.ANSWERED_ON_TIME],
        "answered_late": timely[timeliness.ANSWERED_LATE],
        "pending_overdue": timely[timeliness.PENDING_OVERDUE],
        "tasks": summary.count("all"),
        "done_on_time": summary.count(status.DONE_ON_TIME),
        "open_overdue": summary.count(status.OPEN_OVERDUE),
        "counts": summary.counts,
        "wait": wait,
    }


TREND_LABELS = {
    "received": _l("Kiến nghị nhận được"),
    "answered_on_time": _l("Trả lời đúng hạn"),
    "answered_late": _l("Trả lời quá hạn"),
    "pending_overdue": _l("Quá hạn trả lời"),
    "tasks": _l("Nhiệm vụ theo dõi trong kỳ (không tính nhiệm vụ đã hủy)"),
    "done_on_time": _l("Hoàn thành đúng hạn"),
    "open_overdue": _l("Đang thực hiện quá hạn"),
    "completion": _l("Tỷ lệ hoàn thành nhiệm vụ đến hạn"),
    "on_time": _l("Tỷ lệ hoàn thành đúng hạn"),
}


def trend_rows(current: dict, previous: dict) -> list[TrendRow]:
    """The comparison table's rows from two periods' period_figures."""
    rows = []
    for key, label in TREND_LABELS.items():
        if key == "completion":
            pair = [f["counts"].completion for f in (current, previous)]
        elif key == "on_time":
            pair = [f["counts"].on_time for f in (current, previous)]
        else:
            pair = [current[key], previous[key]]
        rows.append(TrendRow(label, *pair))
    return rows


def trend(
    user, scope: Scope, props: ProposalSummary | None = None, tasks: AssignmentSummary | None = None
) -> tuple[Period, list[TrendRow]]:
    """The main figures of this period and of the previous one of the same length."""
    before = scope.for_period(scope.period.previous())
    rows = trend_rows(period_figures(user, scope, props, tasks), period_figures(user, before))
    return before.period, rows
