"""Every move of a delegation through the services: the state, the item's timeline, the audit
log and the notification, on a real database."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.delegation import items, services, workflow
from app.delegation.models import Delegation, DelegationDraft
from app.directives import services as directive_services
from app.directives.models import Assignment, AssignmentEvent, ProgressReport
from app.extensions import db
from app.models import AuditEvent, Unit, User
from app.notifications.models import Notification
from app.proposals import services as proposal_services
from app.proposals.models import Proposal, ProposalEvent
from app.service_error import ServiceError
from tests.delegation.conftest import get_user


def _audit(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == f"delegation.{action}")))


def _notes(user_id, kind):
    return list(db.session.scalars(select(Notification).where(
        Notification.recipient_id == user_id, Notification.kind == kind)))


@pytest.fixture
def assignment_item(app, make_directive, assign, assignment_of):
    directive_id = make_directive(deadline=clock.today() + timedelta(days=20))
    assign(directive_id, ["SXD"])
    return assignment_of(directive_id, "SXD")


def test_assign_writes_timeline_audit_and_tells_the_officer(app, team, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        head = get_user(team["head"])
        services.assign(item, head, team["officer"], [team["officer2"]], clock.today() + timedelta(days=10))
        db.session.commit()
        delegation = services.delegation_of(item)
        assert delegation.state == workflow.ASSIGNED
        assert [u.id for u in delegation.co_officers] == [team["officer2"]]
        kinds = [e.kind for e in db.session.scalars(
            select(AssignmentEvent).where(AssignmentEvent.assignment_id == assignment_item))]
        assert "delegation.assign" in kinds
        assert _audit("assign")[0].after["officer_id"] == team["officer"]
        assert _notes(team["officer"], "delegation.assigned")
        assert _notes(team["officer2"], "delegation.assigned")


def test_internal_deadline_must_be_before_the_official_one(app, team, assignment_item):
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_item)
        item = items.of_assignment(assignment)
        with pytest.raises(ServiceError) as refused:
            services.assign(item, get_user(team["head"]), team["officer"], [], assignment.deadline)
        assert refused.value.field == "internal_deadline"


def test_only_the_head_assigns_and_only_officers_of_the_unit(app, team, users, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        with pytest.raises(workflow.NotPermitted):
            services.assign(item, get_user(team["officer"]), team["officer2"])
        with pytest.raises(workflow.NotPermitted):
            services.assign(item, get_user(users["department_other"].id), team["officer"])
        with pytest.raises(ServiceError):
            services.assign(item, get_user(team["head"]), users["department_other"].id)


def test_report_waits_for_approval_then_goes_out_as_the_units(app, team, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        services.assign(item, get_user(team["head"]), team["officer"])
        officer = get_user(team["officer"])
        # the officer cannot send straight past the head any more
        with pytest.raises(ServiceError):
            directive_services.add_report(item.obj, officer, "Đã họp triển khai.", 30)
        services.submit(item, officer, services.DraftInput(workflow.REPORT, "Đã họp triển khai.", percent=30))
        db.session.commit()
        assert services.delegation_of(item).state == workflow.AWAITING_APPROVAL
        assert db.session.scalar(select(ProgressReport).where(ProgressReport.assignment_id == item.id)) is None
        assert _notes(team["head"], "delegation.awaiting_approval")
        assert _audit("submit")

        services.approve(item, get_user(team["head"]))
        db.session.commit()
        report = db.session.scalar(select(ProgressReport).where(ProgressReport.assignment_id == item.id))
        assert (report.text, report.percent, report.author_id) == ("Đã họp triển khai.", 30, team["head"])
        assert services.delegation_of(item).state == workflow.ASSIGNED  # a report leaves the work going
        assert _notes(team["officer"], "delegation.approved")
        assert _audit("approve") and _audit("approve")[0].actor_id == team["head"]


def test_return_with_note_then_resubmit_and_withdraw(app, team, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"])
        services.submit(item, officer, services.DraftInput(workflow.COMPLETION, "Đã xong."))
        with pytest.raises(ServiceError):
            services.return_draft(item, head, "  ")
        services.return_draft(item, head, "Bổ sung số liệu.")
        db.session.commit()
        delegation = services.delegation_of(item)
        assert (delegation.state, delegation.returned_note) == (workflow.RETURNED, "Bổ sung số liệu.")
        assert _notes(team["officer"], "delegation.returned")
        events = db.session.scalars(select(AssignmentEvent).where(AssignmentEvent.kind == "delegation.return"))
        assert [e.note for e in events] == ["Bổ sung số liệu."]

        services.submit(item, officer, services.DraftInput(workflow.COMPLETION, "Đã xong, có số liệu."))
        services.withdraw(item, officer)
        db.session.commit()
        assert services.delegation_of(item).state == workflow.ASSIGNED
        assert _audit("withdraw")
        states = sorted(d.state for d in db.session.scalars(select(DelegationDraft)))
        assert states == ["returned", "withdrawn"]


def test_completion_approved_finishes_and_sending_back_reopens(app, team, users, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"])
        services.submit(item, officer, services.DraftInput(workflow.COMPLETION, "Đã hoàn thành."))
        services.approve(item, head)
        db.session.commit()
        assert item.obj.state == "awaiting_confirmation"
        assert services.delegation_of(item).state == workflow.DONE

        directive_services.send_back(item.obj, get_user(users["coordinator"].id), "Chưa đủ hồ sơ.")
        db.session.commit()
        assert services.delegation_of(item).state == workflow.ASSIGNED
        assert _audit("reopen") and _notes(team["officer"], "delegation.reopened")


def test_reassign_and_unassign_tell_the_officers(app, team, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        head = get_user(team["head"])
        services.assign(item, head, team["officer"])
        services.assign(item, head, team["officer2"])
        db.session.commit()
        assert services.delegation_of(item).officer_id == team["officer2"]
        assert _audit("reassign") and _notes(team["officer"], "delegation.taken_back")
        services.unassign(item, head)
        db.session.commit()
        assert services.delegation_of(item).state == workflow.NONE
        assert _audit("unassign") and _notes(team["officer2"], "delegation.taken_back")


def test_proposal_answer_drafted_and_approved_is_the_units_answer(app, team, make_proposal):
    proposal_id = make_proposal("assigned", lead="SXD", deadline_days=20)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        item = items.of_proposal(proposal, proposal.lead_unit_id)
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"], [], clock.today() + timedelta(days=5))
        services.submit(item, officer, services.DraftInput(workflow.ANSWER, "Đã bố trí vốn.", outcome="resolved"))
        services.approve(item, head)
        db.session.commit()
        assert (proposal.state, proposal.answer_text, proposal.answered_by_id) == ("answered", "Đã bố trí vốn.", head.id)
        assert services.delegation_of(item).state == workflow.DONE
        internal = db.session.scalars(select(ProposalEvent.action).where(ProposalEvent.kind == "internal"))
        assert list(internal) == ["delegation.assign", "delegation.submit", "delegation.approve"]
        # the commune does not see the unit's internal steps; the unit does
        commune = db.session.scalar(select(User).where(User.username == "xa.a"))
        assert not [e for e in proposal_services.timeline(proposal, commune) if e.kind == "internal"]
        assert len([e for e in proposal_services.timeline(proposal, officer) if e.kind == "internal"]) == 3


def test_without_the_approval_setting_the_draft_goes_out_at_once(app, team, make_proposal):
    proposal_id = make_proposal("assigned", lead="SXD")
    with app.app_context():
        db.session.scalar(select(Unit).where(Unit.code == "SXD")).drafts_need_approval = False
        proposal = db.session.get(Proposal, proposal_id)
        item = items.of_proposal(proposal, proposal.lead_unit_id)
        services.assign(item, get_user(team["head"]), team["officer"])
        services.submit(item, get_user(team["officer"]),
                        services.DraftInput(workflow.ANSWER, "Giải trình.", outcome="explained"))
        db.session.commit()
        assert (proposal.state, proposal.answered_by_id) == ("answered", team["officer"])
        assert services.delegation_of(item).state == workflow.DONE


def test_a_unit_without_a_head_works_as_today(app, users, make_proposal):
    proposal_id = make_proposal("answered", lead="SXD")
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.state == "answered"  # the lone account answered directly
        item = items.of_proposal(proposal, proposal.lead_unit_id)
        assert services.available(get_user(users["department"].id), item) == []
        with pytest.raises(workflow.NotPermitted):
            services.assign(item, get_user(users["department"].id), users["department"].id)
        assert db.session.scalar(select(Delegation)) is None


def test_office_reopening_the_answer_reopens_the_officers_part(app, team, users, make_proposal):
    proposal_id = make_proposal("assigned", lead="SXD")
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        item = items.of_proposal(proposal, proposal.lead_unit_id)
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"])
        services.submit(item, officer, services.DraftInput(workflow.ANSWER, "Giải trình.", outcome="explained"))
        services.approve(item, head)
        proposal_services.reopen(proposal, get_user(users["coordinator"].id), "Trả lời chưa rõ nguồn vốn.")
        db.session.commit()
        assert services.delegation_of(item).state == workflow.ASSIGNED
        assert _audit("reopen") and _notes(team["officer"], "delegation.reopened")


def test_a_support_units_draft_goes_out_as_its_opinion(app, team, users, make_proposal):
    proposal_id = make_proposal("assigned", lead="SNV", supports=("SXD",))
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        sxd = db.session.scalar(select(Unit.id).where(Unit.code == "SXD"))
        item = items.of_proposal(proposal, sxd)
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"])
        with pytest.raises(ServiceError):  # not past the head
            proposal_services.add_note(proposal, officer, "Ý kiến.", action="opinion")
        services.submit(item, officer, services.DraftInput(workflow.ANSWER, "Sở Xây dựng thống nhất."))
        services.approve(item, head)
        db.session.commit()
        opinions = [(e.note, e.actor_id) for e in proposal_services.opinions(proposal)]
        assert opinions == [("Sở Xây dựng thống nhất.", head.id)]
        assert services.delegation_of(item).state == workflow.DONE
        # the lead unit (one account, no head) answers directly as today
        assert proposal.lead_unit_id != sxd


def test_every_move_is_one_timeline_line_and_one_audit_event(app, team, users, assignment_item):
    with app.app_context():
        item = items.of_assignment(db.session.get(Assignment, assignment_item))
        head, officer = get_user(team["head"]), get_user(team["officer"])
        services.assign(item, head, team["officer"])
        services.assign(item, head, team["officer2"])
        services.unassign(item, head)
        services.assign(item, head, team["officer"])
        services.submit(item, officer, services.DraftInput(workflow.REPORT, "Lần 1.", percent=10))
        services.withdraw(item, officer)
        services.submit(item, officer, services.DraftInput(workflow.REPORT, "Lần 2.", percent=10))
        services.return_draft(item, head, "Thêm số liệu.")
        services.submit(item, officer, services.DraftInput(workflow.COMPLETION, "Xong."))
        services.approve(item, head)
        directive_services.send_back(item.obj, get_user(users["coordinator"].id), "Chưa đủ.")
        db.session.commit()
        moves = ["assign", "reassign", "unassign", "assign", "submit", "withdraw", "submit", "return", "submit",
                 "approve", "reopen"]
        timeline = [e.kind for e in db.session.scalars(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == item.id, AssignmentEvent.kind.like("delegation.%")).order_by(AssignmentEvent.id))]
        assert timeline == [f"delegation.{m}" for m in moves]
        audited = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.like("delegation.%")).order_by(AuditEvent.id))]
        assert audited == [f"delegation.{m}" for m in moves]
