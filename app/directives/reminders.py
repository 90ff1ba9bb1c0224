"""Assignment deadline reminders for `flask remind`: due soon, and the first day overdue.

Registered when the directives blueprint is imported. Only assignments the unit is still
working on (in progress) are reminded, to the unit's staff, against the deadline in force
(an approved extension replaces the original); ongoing assignments have no deadline, and
done, cancelled, suspended or awaiting-confirmation ones are left alone. The dedup key
names the deadline, so an approved extension gets reminders of its own.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.directives import notices, workflow
from app.directives.models import Assignment, Directive
from app.directives.services import deadline_sql
from app.extensions import db
from app.formatting import format_date
from app.notifications import Reminder, due_soon_until, register_reminder_source

# A missed run is caught up, but only for deadlines passed this recently: the first run
# after installing (or after a long outage) must not bury units in old "overdue" news.
OVERDUE_CATCH_UP_DAYS = 7


def due_assignments(today: date):
    """select() of the open assignments whose deadline in force is near or just passed."""
    deadline = deadline_sql()
    return (
        select(Assignment)
        .join(Assignment.directive)
        .where(
            Assignment.state == workflow.IN_PROGRESS,
            deadline >= today - timedelta(days=OVERDUE_CATCH_UP_DAYS),
            deadline <= due_soon_until(today),
        )
        .options(contains_eager(Assignment.directive))
        .order_by(deadline, Assignment.id)
    )


@register_reminder_source
def assignment_reminders(today: date):
    """Tell each unit of its deadlines within the due-soon window, and once overdue."""
    assignments = list(db.session.scalars(due_assignments(today)))
    staff = notices.staff_by_unit(a.unit_id for a in assignments)  # one query for a whole broadcast
    for assignment in assignments:
        recipients = staff.get(assignment.unit_id)
        if not recipients:
            continue
        deadline = assignment.deadline
        directive: Directive = assignment.directive
        link = notices.assignment_link(assignment.id)
        if deadline >= today:
            title = _("Nhiệm vụ sắp đến hạn (%(day)s): %(title)s", day=format_date(deadline),
                      title=notices.clip(directive.title))
            yield Reminder(recipients, notices.DUE_SOON, title, link, notices.ASSIGNMENT, assignment.id,
                           f"due_soon:assignment:{assignment.id}:{deadline.isoformat()}")
        else:
            title = _("Nhiệm vụ đã quá hạn (hạn %(day)s): %(title)s", day=format_date(deadline),
                      title=notices.clip(directive.title))
            yield Reminder(recipients, notices.OVERDUE, title, link, notices.ASSIGNMENT, assignment.id,
                           f"overdue:assignment:{assignment.id}:{deadline.isoformat()}")
