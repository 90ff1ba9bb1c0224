"""Home-page panels: a unit's open assignments; the coordinator's queues; the leader's roll-up."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock, datacache, policy
from app.directives import services, status, workflow
from app.directives.models import Assignment
from app.extensions import db
from app.listing import panel_count
from app.main.panels import register_panel

PANEL_SIZE = 8


def _queue(user, view: str, title: str, empty: str, show_unit: bool, first=None, counted=None):
    """A panel of the assignments list's first rows for view; first (ids of those rows) and
    counted (a select of the same rows) may be given in a form the database answers faster.

    The first rows are ranked on their ids alone, then loaded: sorting thousands of overdue
    assignments with their directives' and units' every column (content included) to keep
    eight cost the coordinator's home more than all its other queries."""
    on, soon = clock.today(), services.due_soon_days()
    query = services.search_assignments(user, {"status": view}, on)
    total, capped = panel_count(counted if counted is not None else query)
    if first is None:
        first = query.with_only_columns(Assignment.id).limit(PANEL_SIZE)
    query = services.assignments_among(first)
    items = [(a, a.directive, a.unit, a.status_on(on, soon)) for a in db.session.scalars(query)]
    return "directives/_panel_queue.html", {
        "title": title,
        "rows": items,
        "total": total,
        "total_capped": capped,
        "empty": empty,
        "show_unit": show_unit,
        "more_url": url_for("directives.assignments", status=view),
        "key": view,
    }


@register_panel((policy.COMMUNE, policy.DEPARTMENT), order=20)
def unit_open_assignments(user):
    """The unit's assignments still open, due soonest first."""
    mine = select(Assignment.id).where(Assignment.unit_id == user.unit_id, Assignment.state.in_(workflow.OPEN_STATES))
    # Ranked on the assignments alone: one unit has one assignment per directive, so the list's
    # order (deadline, directive, unit, id) is (deadline, directive id, id) here, and a commune
    # with thousands of open tasks is not joined to their directives to find the first eight.
    deadline = services.deadline_sql()
    first = mine.order_by(deadline.is_(None), deadline, Assignment.directive_id, Assignment.id).limit(PANEL_SIZE)
    return _queue(user, services.LIST_OPEN, _("Nhiệm vụ được giao"), _("Không có nhiệm vụ nào đang thực hiện."), False,
                  first=first, counted=mine)


@register_panel((policy.COMMUNE, policy.DEPARTMENT), order=15)
def unit_due_soon(user):
    """The unit's open assignments due within the warning period (the due_soon_days setting)."""
    soon = services.due_soon_days()
    return _queue(user, services.LIST_DUE_SOON, _("Nhiệm vụ sắp đến hạn (trong %(n)s ngày tới)", n=soon),
                  _("Không có nhiệm vụ nào sắp đến hạn."), False)


@register_panel((policy.COORDINATOR,), order=20)
def awaiting_confirmation(user):
    """Completions the coordinator has to confirm or send back."""
    return _queue(user, services.LIST_AWAITING, _("Chờ xác nhận hoàn thành"), _("Không có đề nghị nào."), True)


@register_panel((policy.COORDINATOR,), order=21)
def extension_requests(user):
    """Extension requests waiting for a decision."""
    return _queue(user, services.LIST_EXTENSION, _("Đề nghị gia hạn"), _("Không có đề nghị nào."), True)


@register_panel((policy.COORDINATOR, policy.LEADER), order=22)
def overdue(user):
    """Assignments past their deadline, most overdue first."""
    return _queue(user, status.OPEN_OVERDUE, _("Nhiệm vụ quá hạn"), _("Không có nhiệm vụ nào quá hạn."), True)


@register_panel((policy.LEADER,), order=10)
def province_rollup(user):
    """The five-way split of every assignment in the province, with both rates."""
    today = clock.today()
    # Every assignment read and classified: kept while nothing changes (app/datacache.py).
    counts = datacache.remember(("province-rollup", today), lambda: services.overall_counts(today))
    return "directives/_panel_rollup.html", {"counts": counts}
