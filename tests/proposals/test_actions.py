"""The proposal page's actions: each one through the workflow, with a timeline and audit
event, swapping in place for htmx and redirecting (303) without it."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock, deadlines
from app.extensions import db
from app.models import Attachment, AuditEvent, Field
from app.proposals import services, workflow
from app.proposals.models import ProposalEvent
from tests.proposals.conftest import field_id, load, unit_id, version_on


def page_of(client, proposal_id) -> str:
    response = client.get(f"/proposals/{proposal_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def audit_actions(app, proposal_id):
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "proposals", AuditEvent.object_id == str(proposal_id))
            .order_by(AuditEvent.id)
        ).all()


def test_coordinator_receives_then_assigns_with_the_field_default(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED, field="Giao thông")
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/receive", data={"receive-version": version_on(page, "receive-")})
    assert response.status_code == 303 and response.headers["Location"] == f"/proposals/{proposal_id}"
    page = page_of(client, proposal_id)
    assert "Đã tiếp nhận kiến nghị." in page
    assert 'data-action="receive"' not in page  # received once
    # The form offers the field's default lead (Giao thông -> Sở Xây dựng) and deadline (the setting:
    # 30 days, moved to the next working day when the 30th is a day off).
    default_deadline = calendar_deadline(app, 30).isoformat()
    assert re.search(rf'<option selected value="{unit_id(app, "SXD")}">Sở Xây dựng</option>', page)
    assert f'value="{calendar_deadline(app, 30):%d/%m/%Y}"' in page  # shown dd/mm/yyyy
    response = client.post(f"/proposals/{proposal_id}/assign", data={
        "assign-version": version_on(page, "assign-"), "assign-field_id": field_id(app),
        "assign-lead_unit_id": unit_id(app, "SXD"), "assign-support_unit_ids": [unit_id(app, "STC")],
        "assign-answer_deadline": "", "assign-note": "Ưu tiên xử lý trước mùa mưa.",
    })
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.state == workflow.ASSIGNED
    assert proposal.lead_unit.code == "SXD" and [u.code for u in proposal.support_units] == ["STC"]
    assert proposal.answer_deadline.isoformat() == default_deadline  # blank -> the default
    assign_event = proposal.events[-1]
    assert (assign_event.kind, assign_event.from_state, assign_event.to_state) == ("transition", "submitted", "assigned")
    assert "Chủ trì: Sở Xây dựng" in assign_event.note and "Ưu tiên xử lý trước mùa mưa." in assign_event.note
    assert audit_actions(app, proposal_id)[-2:] == ["proposal.receive", "proposal.assign"]


def services_today(app):
    with app.test_request_context():
        return clock.today()


def calendar_deadline(app, days):
    with app.test_request_context():
        return deadlines.deadline_from(clock.today(), days, deadlines.CALENDAR)


def test_the_field_own_answer_period_wins_over_the_setting(app, make_proposal, as_user):
    with app.app_context():
        field = db.session.scalar(select(Field).where(Field.name == "Giao thông"))
        field.default_answer_days = 45
        db.session.commit()
    proposal_id = make_proposal(workflow.SUBMITTED)
    page = page_of(as_user("coordinator"), proposal_id)
    assert f'value="{calendar_deadline(app, 45):%d/%m/%Y}"' in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"assign-lead_unit_id": "COMMUNE"}, "assign-lead_unit_id", "Chọn đơn vị chủ trì là một cơ quan cấp tỉnh"),
        ({"assign-lead_unit_id": "987654"}, "assign-lead_unit_id", "Chọn đơn vị chủ trì là một cơ quan cấp tỉnh"),
        ({"assign-support_unit_ids": ["COMMUNE"]}, "assign-support_unit_ids", "Đơn vị phối hợp phải là cơ quan cấp tỉnh"),
        ({"assign-support_unit_ids": ["SXD"]}, "assign-support_unit_ids", "không đồng thời là đơn vị phối hợp"),
        ({"assign-answer_deadline": "31/02/2026"}, "assign-answer_deadline", "Ngày không hợp lệ"),
        ({"assign-field_id": "0"}, "assign-field_id", "Chọn lĩnh vực trong danh sách."),
    ],
)
def test_forged_assignment_is_refused_next_to_the_field(app, make_proposal, as_user, data, field, message):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    commune = str(unit_id(app, "Phường Pleiku"))
    posted = {"assign-version": version_on(page, "assign-"), "assign-field_id": field_id(app),
              "assign-lead_unit_id": unit_id(app, "SXD"), "assign-note": "Ghi chú của văn phòng"}
    for key, value in data.items():
        if isinstance(value, list):
            value = [commune if v == "COMMUNE" else unit_id(app, v) if v == "SXD" else v for v in value]
        posted[key] = commune if value == "COMMUNE" else value
    response = client.post(f"/proposals/{proposal_id}/assign", data=posted, htmx=True)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "<html" not in body
    error = re.search(rf'id="{field}-error" class="field-error">([^<]*)<', body)
    assert error and message in error.group(1)
    assert "Ghi chú của văn phòng" in body
    assert load(app, proposal_id).state == workflow.SUBMITTED


def test_return_needs_a_reason_and_the_commune_sees_it(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    empty = client.post(f"/proposals/{proposal_id}/return", data={"return-version": version_on(page, "return-"), "return-note": ""})
    assert empty.status_code == 400
    assert "Nêu lý do trả lại để xã, phường bổ sung." in empty.get_data(as_text=True)
    done = client.post(f"/proposals/{proposal_id}/return", data={
        "return-version": version_on(page, "return-"), "return-note": "Thiếu khái toán kinh phí."})
    assert done.status_code == 303
    commune_page = page_of(as_user("commune_a"), proposal_id)
    assert "Trả lại để bổ sung" in commune_page and "Thiếu khái toán kinh phí." in commune_page
    assert "Sửa kiến nghị" in commune_page


def test_lead_answers_in_progress_with_a_planned_date_and_a_signed_document(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SXD")
    client = as_user("department")
    page = page_of(client, proposal_id)
    missing_date = client.post(f"/proposals/{proposal_id}/answer", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "in_progress", "answer-text": "Đang lập dự án."})
    assert missing_date.status_code == 400
    assert "Nhập thời gian dự kiến hoàn thành." in missing_date.get_data(as_text=True)
    assert "Đang lập dự án." in missing_date.get_data(as_text=True)
    response = client.post(f"/proposals/{proposal_id}/answer", content_type="multipart/form-data", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "in_progress", "answer-planned_on": "30/06/2026",
        "answer-text": "Đang lập dự án.", "answer-document": (io.BytesIO(b"%PDF-1.7 signed"), "Công văn trả lời.pdf"),
    })
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert (proposal.state, proposal.answer_outcome, proposal.answer_planned_on.isoformat()) == (
        workflow.ANSWERED, workflow.IN_PROGRESS, "2026-06-30")
    assert proposal.answered_on is not None
    with app.app_context():
        document = db.session.scalar(select(Attachment).where(Attachment.owner_type == "proposal_answer"))
        assert document.original_name == "Công văn trả lời.pdf" and document.owner_id == proposal_id
    commune_page = page_of(as_user("commune_a"), proposal_id)
    assert "Đang giải quyết" in commune_page and "dự kiến hoàn thành 30/06/2026" in commune_page
    assert "Công văn trả lời.pdf" in commune_page
    assert "Trả lời đúng hạn" in commune_page


def test_answer_document_with_wrong_content_is_refused(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SXD")
    client = as_user("department")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/answer", content_type="multipart/form-data", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "resolved", "answer-text": "Đã xong.",
        "answer-document": (io.BytesIO(b"<html>phishing</html>"), "Công văn.pdf"),
    })
    assert response.status_code == 400
    assert "Nội dung tệp Công văn.pdf không đúng định dạng PDF." in response.get_data(as_text=True)
    assert load(app, proposal_id).state == workflow.ASSIGNED


def test_feedback_close_and_reopen(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ANSWERED)
    commune = as_user("commune_a")
    page = page_of(commune, proposal_id)
    no_reason = commune.post(f"/proposals/{proposal_id}/feedback", data={
        "feedback-version": version_on(page, "feedback-"), "feedback-feedback": "disagree", "feedback-text": ""})
    assert no_reason.status_code == 400
    assert "Nêu lý do chưa đồng ý với câu trả lời." in no_reason.get_data(as_text=True)
    commune.post(f"/proposals/{proposal_id}/feedback", data={
        "feedback-version": version_on(page, "feedback-"), "feedback-feedback": "disagree",
        "feedback-text": "Chưa bố trí vốn thực tế."})
    coordinator = as_user("coordinator")
    page = page_of(coordinator, proposal_id)
    assert "Chưa đồng ý" in page and "Chưa bố trí vốn thực tế." in page
    reopened = coordinator.post(f"/proposals/{proposal_id}/reopen", data={
        "reopen-version": version_on(page, "reopen-"), "reopen-note": "Đề nghị Sở trả lời cụ thể nguồn vốn.",
        "reopen-answer_deadline": "2030-01-15"})
    assert reopened.status_code == 303
    proposal = load(app, proposal_id)
    assert (proposal.state, proposal.answer_outcome, proposal.feedback) == (workflow.ASSIGNED, None, None)
    assert proposal.answer_deadline.isoformat() == "2030-01-15"
    # The first answer stays on the timeline.
    assert any(e.action == "answer" and "Đã bố trí vốn năm 2026." in e.note for e in proposal.events)
    # Answer again, then close.
    lead = as_user("department")
    page = page_of(lead, proposal_id)
    lead.post(f"/proposals/{proposal_id}/answer", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "resolved", "answer-text": "Đã bố trí 5 tỷ đồng."})
    page = page_of(coordinator, proposal_id)
    closed = coordinator.post(f"/proposals/{proposal_id}/close", data={"close-version": version_on(page, "close-")})
    assert closed.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.state == workflow.CLOSED and proposal.closed_at is not None
    assert [e.action for e in proposal.events if e.kind == "transition"][-4:] == ["answer", "reopen", "answer", "close"]
    actions = audit_actions(app, proposal_id)
    assert actions[-4:] == ["proposal.feedback", "proposal.reopen", "proposal.answer", "proposal.close"]


def test_leader_comment_shows_on_the_timeline(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED)
    leader = as_user("leader")
    page = page_of(leader, proposal_id)
    assert "Ý kiến chỉ đạo" in page
    response = leader.post(f"/proposals/{proposal_id}/note", data={"note-text": "Đề nghị Sở Xây dựng trả lời trước 30/11."},
                           htmx=True)
    assert response.status_code == 200
    assert "Đã ghi ý kiến chỉ đạo." in response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(ProposalEvent).where(ProposalEvent.proposal_id == proposal_id).order_by(ProposalEvent.id.desc()))
        assert (event.kind, event.note, event.from_state, event.to_state) == (
            "leader_comment", "Đề nghị Sở Xây dựng trả lời trước 30/11.", "assigned", "assigned")
    assert "Đề nghị Sở Xây dựng trả lời trước 30/11." in page_of(as_user("commune_a"), proposal_id)
    assert audit_actions(app, proposal_id)[-1] == "proposal.leader_comment"


def test_htmx_action_returns_the_component_without_the_page(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/receive", data={"receive-version": version_on(page, "receive-")}, htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<body" not in body
    assert body.lstrip().startswith(f'<div id="proposal-{proposal_id}"')
    assert 'hx-target="this"' in body and 'hx-swap="outerHTML"' in body
    assert "Đã tiếp nhận kiến nghị." in body
    assert "HX-Request" in response.headers["Vary"]


def test_detail_page_full_vs_fragment(make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    full = client.get(f"/proposals/{proposal_id}")
    fragment = client.get(f"/proposals/{proposal_id}", htmx=True)
    assert "<html" in full.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert f'id="proposal-{proposal_id}"' in fragment.get_data(as_text=True)
    assert "<dt>Người lập</dt>" in full.get_data(as_text=True)  # not the translated "Người viết"
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    boosted = client.get(f"/proposals/{proposal_id}", htmx=True, headers={"HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_htmx_action_without_csrf_token_is_refused(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/receive", data={"receive-version": version_on(page, "receive-")},
                           htmx=True, csrf=False)
    assert response.status_code == 400
    assert "thiếu mã bảo mật" in response.get_data(as_text=True)
    assert load(app, proposal_id).received_at is None


def test_stale_action_is_refused_with_409_and_keeps_the_text(app, make_proposal, as_user, login_as):
    proposal_id = make_proposal(workflow.SUBMITTED)
    first, second = as_user("coordinator"), login_as("coordinator")
    page_1, page_2 = page_of(first, proposal_id), page_of(second, proposal_id)
    first.post(f"/proposals/{proposal_id}/return", data={
        "return-version": version_on(page_1, "return-"), "return-note": "Thiếu khái toán."})
    response = second.post(f"/proposals/{proposal_id}/return", htmx=True, data={
        "return-version": version_on(page_2, "return-"), "return-note": "Lý do của người thứ hai."})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Lý do của người thứ hai." in body
    assert "Hồ sơ vừa được người khác cập nhật" in body
    proposal = load(app, proposal_id)
    assert proposal.return_reason == "Thiếu khái toán."
    assert [e.action for e in proposal.events].count("return") == 1


def test_same_version_but_wrong_state_is_a_conflict(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.CLOSED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/close", data={"close-version": version_on(page, "reopen-")})
    assert response.status_code == 409
    assert "Hoàn thành" in response.get_data(as_text=True)


def test_withdraw_before_assignment_only(app, make_proposal, as_user):
    submitted = make_proposal(workflow.SUBMITTED)
    assigned = make_proposal(workflow.ASSIGNED)
    client = as_user("commune_a")
    page = page_of(client, submitted)
    response = client.post(f"/proposals/{submitted}/withdraw", data={"withdraw-version": version_on(page, "withdraw-")})
    assert response.status_code == 303
    assert load(app, submitted).state == workflow.WITHDRAWN
    page = page_of(client, assigned)
    assert 'data-action="withdraw"' not in page
    response = client.post(f"/proposals/{assigned}/withdraw", data={"withdraw-version": version_on(page, "note-")})
    assert response.status_code == 409
    assert load(app, assigned).state == workflow.ASSIGNED


def test_classify_corrects_the_field(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED, field="Giao thông")
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    response = client.post(f"/proposals/{proposal_id}/classify", data={
        "classify-version": version_on(page, "classify-"), "classify-field_id": field_id(app, "Thủy lợi")})
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.field.name == "Thủy lợi"
    assert proposal.events[-1].note == "Giao thông → Thủy lợi"


def test_services_refuse_to_delete_submitted_proposals(app, make_proposal, users):
    proposal_id = make_proposal(workflow.SUBMITTED)
    from app.models import User
    from app.proposals.models import Proposal

    with app.test_request_context():
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(workflow.InvalidState):
            services.delete_draft(proposal, db.session.get(User, users["commune_a"].id))
    assert load(app, proposal_id).state == workflow.SUBMITTED


def test_amount_cannot_be_negative_in_the_database(app, make_proposal):
    from sqlalchemy.exc import IntegrityError

    from app.proposals.models import Proposal

    proposal_id = make_proposal(workflow.DRAFT)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        proposal.requested_amount = -1
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_new_deadline_cannot_be_in_the_past_but_an_overdue_one_may_stay(app, make_proposal, as_user):
    submitted = make_proposal(workflow.SUBMITTED)
    overdue = make_proposal(workflow.ASSIGNED, deadline_days=-3)
    client = as_user("coordinator")
    yesterday = (services_today(app) - timedelta(days=1)).isoformat()
    page = page_of(client, submitted)
    response = client.post(f"/proposals/{submitted}/assign", data={
        "assign-version": version_on(page, "assign-"), "assign-field_id": field_id(app),
        "assign-lead_unit_id": unit_id(app, "SXD"), "assign-answer_deadline": yesterday})
    assert response.status_code == 400
    assert re.search(r'id="assign-answer_deadline-error" class="field-error">Hạn trả lời không được trước ngày hôm nay.',
                     response.get_data(as_text=True))
    assert load(app, submitted).state == workflow.SUBMITTED
    # Re-assigning an overdue proposal to another lead keeps its (past) deadline.
    page = page_of(client, overdue)
    kept = load(app, overdue).answer_deadline
    response = client.post(f"/proposals/{overdue}/assign", data={
        "assign-version": version_on(page, "assign-"), "assign-field_id": field_id(app),
        "assign-lead_unit_id": unit_id(app, "SNV"), "assign-answer_deadline": kept.isoformat()})
    assert response.status_code == 303
    proposal = load(app, overdue)
    assert (proposal.lead_unit.code, proposal.answer_deadline) == ("SNV", kept)
    assert proposal.events[-1].action == "reassign"
