"""Answer-deadline reminders for `flask remind`: due soon, and the first day overdue.

Registered when the proposals blueprint is imported. Only proposals waiting for an answer
(state assigned) are reminded, to the lead department's staff; answered, closed or
withdrawn ones never are. The dedup key names the deadline, so each reminder reaches each
recipient once however often `flask remind` runs, and a new deadline (reassignment,
reopening with a new date) gets reminders of its own.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.formatting import format_date
from app.notifications import (
    Reminder,
    due_soon_until,
    path_for,
    register_reminder_source,
    users_of_unit,
)
from app.proposals import notices, workflow
from app.proposals.models import Proposal

# A missed run is caught up, but only for deadlines passed this recently: the first run
# after installing (or after a long outage) must not bury departments in old "overdue" news.
OVERDUE_CATCH_UP_DAYS = 7


def due_proposals(today: date):
    """select() of the proposals awaiting an answer whose deadline is near or just passed."""
    return (
        select(Proposal)
        .where(
            Proposal.state == workflow.ASSIGNED,
            Proposal.lead_unit_id.is_not(None),
            Proposal.answer_deadline >= today - timedelta(days=OVERDUE_CATCH_UP_DAYS),
            Proposal.answer_deadline <= due_soon_until(today),
        )
        .options(selectinload(Proposal.commune))
        .order_by(Proposal.answer_deadline, Proposal.id)
    )


@register_reminder_source
def proposal_reminders(today: date):
    """Tell the lead department of answer deadlines within the due-soon window, and once overdue."""
    for proposal in db.session.scalars(due_proposals(today)):
        deadline = proposal.answer_deadline
        recipients = users_of_unit(proposal.lead_unit_id)
        link = path_for("proposals.detail", proposal_id=proposal.id)
        if deadline >= today:
            title = _("Kiến nghị “%(title)s” sắp đến hạn trả lời (%(day)s)",
                      title=notices.clip(proposal.title), day=format_date(deadline))
            yield Reminder(recipients, notices.DUE_SOON, title, link, notices.OBJECT_TYPE, proposal.id,
                           f"due_soon:proposal:{proposal.id}:{deadline.isoformat()}")
        else:
            title = _("Kiến nghị “%(title)s” đã quá hạn trả lời (hạn %(day)s)",
                      title=notices.clip(proposal.title), day=format_date(deadline))
            yield Reminder(recipients, notices.OVERDUE, title, link, notices.OBJECT_TYPE, proposal.id,
                           f"overdue:proposal:{proposal.id}:{deadline.isoformat()}")
