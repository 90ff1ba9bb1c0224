"""`flask remind` with the proposal and assignment reminder sources: 3 days before a deadline,
the first day overdue, once each, only for items still open, to exactly who is concerned."""

from datetime import date

import pytest
from sqlalchemy import select

from app.directives import notices as directive_notices
from app.directives import services as directive_services
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment
from app.directives.reminders import assignment_reminders
from app.extensions import db
from app.models import Field
from app.notifications.reminders import reminder_sources
from app.proposals import notices as proposal_notices
from app.proposals import workflow
from app.proposals.models import Proposal
from app.proposals.reminders import proposal_reminders
from tests.notifications.event_helpers import (
    COMMUNE_A,
    expect,
    get,
    last_notification_id,
    news_since,
    notifications_since,
    unit,
    walk_proposal,
)

DEADLINE = date(2026, 3, 16)  # a Monday
LEAD = ("department", "department2")


def remind(runner, day: date) -> str:
    result = runner.invoke(args=["remind", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_both_sources_are_registered_with_the_app(app):
    assert {proposal_reminders, assignment_reminders} <= set(reminder_sources())


# --- proposals: the lead department, answer deadline ------------------------------------------


def test_a_proposal_reminds_its_lead_department_three_days_before_and_once_overdue(app, people, runner):
    proposal_id = walk_proposal(app, people, workflow.ASSIGNED, deadline=DEADLINE)
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 12))  # four days before: nothing yet
    assert news_since(app, since) == {}
    for _run in range(2):  # three days before, twice the same morning
        remind(runner, date(2026, 3, 13))
    assert news_since(app, since) == expect(people, proposal_notices.DUE_SOON, *LEAD)
    remind(runner, date(2026, 3, 16))  # the deadline day: still the same "due soon"
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 17))  # the first day overdue
    remind(runner, date(2026, 3, 17))
    remind(runner, date(2026, 3, 18))  # the next day: no second "overdue"
    assert news_since(app, since) == expect(people, proposal_notices.OVERDUE, *LEAD)
    [overdue, _other] = notifications_since(app, since)
    assert overdue.title == "Kiến nghị “Sửa chữa trường tiểu học thôn 3” đã quá hạn trả lời (hạn 16/03/2026)"
    assert (overdue.link, overdue.object_type, overdue.object_id) == (f"/proposals/{proposal_id}", "proposal", proposal_id)


def test_a_missed_morning_is_caught_up(app, people, runner):
    walk_proposal(app, people, workflow.ASSIGNED, deadline=DEADLINE)
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 20))  # nobody ran it on the 13th-19th
    assert news_since(app, since) == expect(people, proposal_notices.OVERDUE, *LEAD)


def test_long_overdue_items_are_not_dug_up(app, people, runner):
    walk_proposal(app, people, workflow.ASSIGNED, deadline=DEADLINE)
    since = last_notification_id(app)
    remind(runner, date(2026, 4, 30))
    assert news_since(app, since) == {}


@pytest.mark.parametrize("state", [workflow.ANSWERED, workflow.CLOSED])
def test_answered_or_closed_proposals_are_not_reminded(app, people, runner, state):
    proposal_id = walk_proposal(app, people, state)
    with app.app_context():
        db.session.get(Proposal, proposal_id).answer_deadline = DEADLINE
        db.session.commit()
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 13))
    remind(runner, date(2026, 3, 17))
    assert news_since(app, since) == {}


def test_a_new_deadline_gets_its_own_reminders(app, people, runner):
    proposal_id = walk_proposal(app, people, workflow.ASSIGNED, deadline=DEADLINE)
    remind(runner, date(2026, 3, 17))
    with app.app_context():  # reopened with a new date after the overdue reminder
        db.session.get(Proposal, proposal_id).answer_deadline = date(2026, 4, 1)
        db.session.commit()
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 30))
    assert news_since(app, since) == expect(people, proposal_notices.DUE_SOON, *LEAD)


# --- assignments: the unit's staff, deadline in force --------------------------------------------


def directive_for(app, people, units, *, deadline: date | None = DEADLINE) -> int:
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Biên chế, tổ chức bộ máy"))
        directive = directive_services.create_directive({
            "issued_by_name": "Lương Văn Trọng", "title": "Kiện toàn bộ máy", "content": "Báo cáo kết quả.",
            "field_id": field_id, "is_ongoing": deadline is None, "deadline": deadline,
            "reporting_period": None if deadline else "monthly",
        }, get(people, "coordinator"))
        directive_services.assign_to_units(directive, [unit(u).id for u in units], directive_workflow.LEAD,
                                           get(people, "coordinator"))
        db.session.commit()
        return directive.id


def task_of(app, directive_id, unit_ref) -> int:
    with app.app_context():
        return db.session.scalar(select(Assignment.id).where(Assignment.directive_id == directive_id,
                                                             Assignment.unit_id == unit(unit_ref).id))


def test_an_assignment_reminds_its_unit_three_days_before_and_once_overdue(app, people, runner):
    directive_id = directive_for(app, people, ["Xã Ia Boòng", "SXD"])
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 12))
    assert news_since(app, since) == {}
    remind(runner, date(2026, 3, 13))
    remind(runner, date(2026, 3, 13))
    assert news_since(app, since) == {
        **expect(people, directive_notices.DUE_SOON, *COMMUNE_A), **expect(people, directive_notices.DUE_SOON, *LEAD)}
    since = last_notification_id(app)
    for day in (17, 17, 18, 19):
        remind(runner, date(2026, 3, day))
    assert news_since(app, since) == {
        **expect(people, directive_notices.OVERDUE, *COMMUNE_A), **expect(people, directive_notices.OVERDUE, *LEAD)}
    task = task_of(app, directive_id, "Xã Ia Boòng")
    mine = [n for n in notifications_since(app, since) if n.recipient_id == people["commune_a"]][0]
    assert mine.title == "Nhiệm vụ đã quá hạn (hạn 16/03/2026): Kiện toàn bộ máy"
    assert (mine.link, mine.object_type, mine.object_id) == (f"/assignments/{task}", "assignment", task)


def test_the_approved_extension_is_the_deadline_reminded(app, people, runner):
    directive_id = directive_for(app, people, ["Xã Ia Boòng"])
    task = task_of(app, directive_id, "Xã Ia Boòng")
    with app.app_context():
        assignment = db.session.get(Assignment, task)
        directive_services.request_extension(assignment, get(people, "commune_a"), date(2026, 3, 31), "Chờ ý kiến Sở.",
                                             date(2026, 3, 2))
        directive_services.decide_extension(assignment, get(people, "coordinator"), True)
        db.session.commit()
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 13))  # the original deadline no longer counts
    remind(runner, date(2026, 3, 17))
    assert news_since(app, since) == {}
    remind(runner, date(2026, 3, 28))
    assert news_since(app, since) == expect(people, directive_notices.DUE_SOON, *COMMUNE_A)
    assert "(31/03/2026)" in notifications_since(app, since)[0].title


@pytest.mark.parametrize("state", ["done", "cancelled", "suspended", "awaiting_confirmation"])
def test_finished_stopped_or_waiting_assignments_are_not_reminded(app, people, runner, state):
    directive_id = directive_for(app, people, ["Xã Ia Boòng"])
    task = task_of(app, directive_id, "Xã Ia Boòng")
    with app.app_context():
        assignment = db.session.get(Assignment, task)
        assignment.state = state
        if state in ("done", "awaiting_confirmation"):
            assignment.completion_requested_on = date(2026, 3, 10)
        if state == "done":
            assignment.completed_on = date(2026, 3, 10)
        db.session.commit()
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 13))
    remind(runner, date(2026, 3, 17))
    assert news_since(app, since) == {}


def test_ongoing_assignments_have_no_deadline_to_remind(app, people, runner):
    directive_for(app, people, ["Xã Ia Boòng"], deadline=None)
    since = last_notification_id(app)
    remind(runner, date(2026, 3, 13))
    assert news_since(app, since) == {}


def test_a_broadcast_due_soon_reminds_every_unit_once(app, people, runner):
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Biên chế, tổ chức bộ máy"))
        directive = directive_services.create_directive({
            "issued_by_name": "Lương Văn Trọng", "title": "Báo cáo sơ kết", "content": "Gửi báo cáo.",
            "field_id": field_id, "deadline": DEADLINE}, get(people, "coordinator"))
        ids = directive_services.units_for_scope(directive_services.SCOPE_ALL_COMMUNES)
        directive_services.assign_to_units(directive, ids, directive_workflow.LEAD, get(people, "coordinator"))
        db.session.commit()
    since = last_notification_id(app)
    output = remind(runner, date(2026, 3, 13))
    remind(runner, date(2026, 3, 14))
    # The seeded communes with accounts: Xã Ia Boòng (2 active) and Phường Pleiku (1).
    assert news_since(app, since) == expect(people, directive_notices.DUE_SOON, *COMMUNE_A, "commune_b")
    assert "3 notification(s) created" in output
