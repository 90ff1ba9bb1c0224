"""When a proposal must be answered and whether it was on time: answer periods and badges."""

from datetime import date

from app import clock, deadlines
from app import settings as app_settings
from app.deadline_choice import Period
from app.models import Field
from app.proposals import timeliness, workflow
from app.proposals.models import Proposal


def default_answer_days(field: Field | None) -> int:
    """The field's answer period, else the site setting."""
    return default_period(field).days


def default_period(field: Field | None) -> Period:
    """The field's answer period in the field's unit, else the site setting in calendar days."""
    if field is not None and field.default_answer_days:
        unit = field.default_deadline_unit if field.default_deadline_unit in deadlines.UNITS else deadlines.CALENDAR
        return Period(field.default_answer_days, unit)
    return Period(app_settings.get_int("default_answer_days"), deadlines.CALENDAR)


def default_deadline(field: Field | None, start: date | None = None) -> date:
    """The answer deadline the field gives from start (today): a day off moves to the next working day."""
    return default_period(field).deadline_from(start or clock.today())


def timeliness_of(proposal: Proposal, today: date | None = None) -> timeliness.Timeliness:
    """Timeliness badge data for one proposal, computed now."""
    return timeliness_checker(today)(proposal)


def timeliness_checker(today: date | None = None):
    """A function proposal -> Timeliness for a whole list (reads the setting once)."""
    today = today or clock.today()
    due_soon_days = app_settings.get_int("due_soon_days")

    def check(proposal: Proposal) -> timeliness.Timeliness:
        return timeliness.classify(
            proposal.answer_deadline, proposal.answered_on, today,
            pending=proposal.state == workflow.ASSIGNED, due_soon_days=due_soon_days,
        )

    return check

