"""The directive and assignment lists: filters, search, sort orders and keyset pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import contains_eager, selectinload

from app import clock, datacache, policy, search
from app.directives import status, workflow
from app.directives.models import (
    Assignment,
    Directive,
    ExtensionRequest,
)
from app.directives.rollups import deadline_sql, due_soon_days, status_clause
from app.directives.visibility import scope_assignments, scope_directives, visible_directives
from app.extensions import db
from app.listing import KeysetPage, SortKey, keyset_page
from app.models import Unit
from app.text import sort_key


def search_directives(user, filters: dict, on: date):
    """select() of the directives user sees, filtered; sorting is applied by the caller."""
    query = visible_directives(user)
    if q := (filters.get("q") or "").strip():
        query = query.where(search.matches(q, Directive.search_folded))
    if field_id := filters.get("field_id"):
        query = query.where(Directive.field_id == field_id)
    if meeting_id := filters.get("meeting_id"):
        query = query.where(Directive.meeting_id == meeting_id)
    if issuer := filters.get("issuer"):
        query = query.where(Directive.issued_by_name == issuer)
    if deadline_from := filters.get("deadline_from"):
        query = query.where(Directive.deadline >= deadline_from)
    if deadline_to := filters.get("deadline_to"):
        query = query.where(Directive.deadline <= deadline_to)
    unit_id = filters.get("unit_id")
    status_key = filters.get("status")
    if unit_id or status_key:
        # One EXISTS, so "unit X's assignment is overdue" means the same assignment.
        conditions = [Assignment.directive_id == Directive.id]
        if unit_id:
            conditions.append(Assignment.unit_id == unit_id)
        if status_key:
            conditions.append(status_clause(status_key, on))
        if user.role in (policy.COMMUNE, policy.DEPARTMENT):
            conditions.append(Assignment.unit_id == user.unit_id)
        query = query.where(select(Assignment.id).where(and_(*conditions)).exists())
    return query


def issuers(user) -> list[str]:
    """Names that directives user sees were issued by, for the filter.

    Kept for the data version (app/datacache.py): a DISTINCT over every directive the user
    sees, on every page of the list, cost the list 28 ms at 75,000 directives (scale 25);
    the names change only with an audited change. Who sees what depends on the role and
    the unit alone (visibility.scope_directives)."""
    return datacache.remember(("directive-issuers", user.role, user.unit_id), lambda: _issuers(user))


def _issuers(user) -> list[str]:
    sub = scope_directives(select(Directive.issued_by_name), user).where(Directive.issued_by_name != "").distinct()
    return sorted(db.session.scalars(sub), key=sort_key)


# Filter values of the assignments list beyond the five-way keys.
LIST_OPEN = "open"
LIST_ALL = "all"
LIST_AWAITING = "awaiting"
LIST_EXTENSION = "extension"
LIST_DUE_SOON = "due_soon"  # open, not overdue, deadline within the warning period (due_soon_days)


def tracked_in_period(date_from: date | None, date_to: date | None):
    """Assignments followed during a period: given by its last day and not finished before
    its first (what was assigned in it, plus what earlier periods carried over)."""
    conditions = []
    if date_to is not None:
        conditions.append(Assignment.created_at < clock.start_of_day(date_to + timedelta(days=1)))
    if date_from is not None:
        conditions.append(or_(Assignment.completed_on.is_(None), Assignment.completed_on >= date_from))
    return and_(true(), *conditions)


def search_assignments(user, filters: dict, on: date):
    """select() of the assignments user sees (directive and unit loaded), due soonest first.

    on: the day statuses are taken on (today, or the last day of the period filtered on).
    """
    query, keys = _ordered_base(user, filters, on)
    query = query.options(contains_eager(Assignment.directive), contains_eager(Assignment.unit))
    return query.order_by(*(key.order() for key in keys))


def _list_order():
    """The keyset list's order (assignment_sort_keys): deadline (none last), directive, unit, id.
    Written NULLS LAST, not "deadline IS NULL, deadline", so that ix_assignments_due_order can
    give it."""
    return [key.order() for key in assignment_sort_keys()]


# The list's order comes from ix_assignments_due_order (deadline in force, directive): for a view
# holding a large share of the province's tasks, walking that index and stopping after a page
# beats sorting every open or overdue task. For the few rows of a selective view (a unit's tasks,
# the pending extension requests, words searched) the walk is the worst plan: PostgreSQL reads the
# index from the oldest deadline and throws rows away until it has a page (the extension-request
# queue: 712 rows among 1.4 million, 1 s at scale 25). Those views pick their rows first, with
# every value the order needs, in a CTE that neither planner may fold into the main query
# (MATERIALIZED); the page sorts those narrow rows by the CTE's columns, an order no index gives,
# so none is walked, and only the page's rows are joined to their directive and unit.
# tests/perf/test_query_plans.py checks both plans on both databases.
#
# SELECTIVE_VIEWS: views whose rows are few whatever the province's size; every other view holds
# a large share of the tasks (open, overdue, done...) or one state, which
# ix_assignments_state_deadline (state, deadline) gives in the list's order.
SELECTIVE_VIEWS = frozenset({LIST_EXTENSION})


def is_selective(user, filters: dict) -> bool:
    """Whether filters leave a small share of the province's tasks, to be picked first and then
    sorted (a unit's, by the account's scope or the unit filter; a search; a pending request)."""
    if not policy.sees_everything(user):
        return True
    if (filters.get("q") or "").strip() or filters.get("unit_id"):
        return True
    return (filters.get("status") or LIST_OPEN) in SELECTIVE_VIEWS


def _ordered_base(user, filters: dict, on: date, *, backward: bool = False):
    """(filtered_assignments joined to directive and unit, its keyset sort keys) for the list's
    order; a selective view's rows are picked first (see above).

    backward: the page is read backwards (a "before" cursor); the picked rows come in that order.
    """
    if not is_selective(user, filters):
        return filtered_assignments(user, filters, on), assignment_sort_keys()
    picked = (
        filtered_assignments(user, filters, on, counting=True, with_unit=True)
        .with_only_columns(
            Assignment.id.label("id"), deadline_sql().label("deadline"), Assignment.directive_id.label("directive_id"),
            Unit.sort_order.label("unit_order"), Unit.name.label("unit_name"),
        )
        .cte("picked").prefix_with("MATERIALIZED")
    )

    def keys(rows):
        return [
            SortKey(rows.c.deadline, lambda a: a.deadline, date, nullable=True),
            SortKey(rows.c.directive_id, lambda a: a.directive_id, int),
            SortKey(rows.c.unit_order, lambda a: a.unit.sort_order, int),
            SortKey(rows.c.unit_name, lambda a: a.unit.name, str),
            SortKey(rows.c.id, lambda a: a.id, int),
        ]

    # Sorted in a subquery of their own, narrow, so that PostgreSQL joins only a page of them to
    # their rows (it sorts nowhere but at the top of a query, after every join, otherwise).
    ranked = select(picked).order_by(*(key.order(reverse=backward) for key in keys(picked))).subquery("ranked")
    query = (
        select(Assignment).join(ranked, ranked.c.id == Assignment.id)
        .join(Assignment.directive).join(Assignment.unit)
    )
    return query, keys(ranked)


def assignments_among(ids):
    """select() of the assignments whose id is in ids (a select of ids, already scoped), with
    their directive and unit, in the list's order."""
    return (
        select(Assignment).join(Assignment.directive).join(Assignment.unit)
        .options(contains_eager(Assignment.directive), contains_eager(Assignment.unit))
        .where(Assignment.id.in_(ids)).order_by(*_list_order())
    )


def filtered_assignments(user, filters: dict, on: date, *, counting: bool = False, with_unit: bool = False):
    """select(Assignment) joined to its directive and unit, scoped and filtered; no order.

    counting: join the directive and the unit only when a filter reads them (the search, the
    field). Every assignment has exactly one of each, so the rows are the same; a grouped count
    over every task of five years then reads one index instead of two more rows per task.
    with_unit: join the unit in any case (its columns are selected).
    """
    q = (filters.get("q") or "").strip()
    query = scope_assignments(select(Assignment), user)
    if not counting or q or filters.get("field_id"):
        query = query.join(Assignment.directive)
    if not counting or q or with_unit:
        query = query.join(Assignment.unit)
    view = filters.get("status") or LIST_OPEN
    if view == LIST_OPEN:
        query = query.where(Assignment.state.in_(workflow.OPEN_STATES))
    elif view == LIST_ALL:
        # "All" is the total of tasks every screen states (status.Counts.total): cancelled ones apart.
        query = query.where(Assignment.state != workflow.CANCELLED)
    elif view == LIST_AWAITING:
        query = query.where(Assignment.state == workflow.AWAITING_CONFIRMATION)
    elif view == LIST_EXTENSION:
        # IN over the few pending requests, not EXISTS per assignment: that read every assignment.
        pending = select(ExtensionRequest.assignment_id).where(ExtensionRequest.state == workflow.EXT_PENDING)
        query = query.where(Assignment.id.in_(pending))
    elif view == LIST_DUE_SOON:
        deadline = deadline_sql()
        query = query.where(Assignment.state.in_(workflow.OPEN_STATES), deadline >= on,
                            deadline <= on + timedelta(days=due_soon_days()))
    elif view in status.ALL_KEYS:
        query = query.where(status_clause(view, on))
    if q:
        query = query.where(search.matches(q, Directive.search_folded, Unit.name_folded))
    if unit_id := filters.get("unit_id"):
        query = query.where(Assignment.unit_id == unit_id)
    if field_id := filters.get("field_id"):
        query = query.where(Directive.field_id == field_id)
    if filters.get("date_from") or filters.get("date_to"):
        query = query.where(tracked_in_period(filters.get("date_from"), filters.get("date_to")))
    return query


def assignment_sort_keys() -> list[SortKey]:
    """search_assignments' order for keyset pages: deadline (none last), directive, unit, then id."""
    return [
        SortKey(deadline_sql(), lambda a: a.deadline, date, nullable=True),
        SortKey(Directive.id, lambda a: a.directive_id, int),
        SortKey(Unit.sort_order, lambda a: a.unit.sort_order, int),
        SortKey(Unit.name, lambda a: a.unit.name, str),
        SortKey(Assignment.id, lambda a: a.id, int),
    ]


def assignments_page(user, filters: dict, on: date, *, per_page: int, after=None, before=None) -> KeysetPage:
    """One keyset page of the assignments list (app.listing), directive and unit loaded."""
    base = filtered_assignments(user, filters, on)
    ordered, keys = _ordered_base(user, filters, on, backward=bool(before) and not after)
    query = ordered.options(contains_eager(Assignment.directive), contains_eager(Assignment.unit))
    return keyset_page(query, base.with_only_columns(Assignment.id), keys, sort="due",
                       per_page=per_page, after=after, before=before,
                       text_search=bool((filters.get("q") or "").strip()))


# ?sort= of the directive list -> its keyset order (the id breaks ties).
DIRECTIVE_SORTS = {
    "-created": lambda: [
        SortKey(Directive.created_at, lambda d: d.created_at, datetime, descending=True),
        SortKey(Directive.id, lambda d: d.id, int, descending=True),
    ],
    "deadline": lambda: [
        SortKey(Directive.deadline, lambda d: d.deadline, date, nullable=True),
        SortKey(Directive.id, lambda d: d.id, int, descending=True),
    ],
    "title": lambda: [
        SortKey(Directive.title, lambda d: d.title, str),
        SortKey(Directive.id, lambda d: d.id, int),
    ],
}
DEFAULT_DIRECTIVE_SORT = "-created"


def directives_page(user, filters: dict, on: date, sort: str, *, per_page: int, after=None, before=None) -> KeysetPage:
    """One keyset page of the directive list, with its meeting and field loaded."""
    base = search_directives(user, filters, on)
    query = base.options(selectinload(Directive.meeting), selectinload(Directive.field))
    keys = DIRECTIVE_SORTS.get(sort, DIRECTIVE_SORTS[DEFAULT_DIRECTIVE_SORT])()
    return keyset_page(query, base.with_only_columns(Directive.id), keys, sort=sort, per_page=per_page,
                       after=after, before=before,
                       text_search=bool((filters.get("q") or "").strip()))


def queue_count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
