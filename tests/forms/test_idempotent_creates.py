"""Back, then submit again: every create form makes its thing once (app/idempotency.py)."""

import re

from sqlalchemy import func, select

from app.directives.models import AssignmentEvent, Directive, DirectiveEvent
from app.extensions import db
from app.models import Field, Meeting
from tests.directives.conftest import days
from tests.meetings.test_meeting_views import _form as meeting_form


def _key(body: str, name: str = "idempotency_key") -> str:
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([A-Za-z0-9_-]+)"', body)
    assert match, f"no {name} on the form"
    return match.group(1)


def _count(app, query) -> int:
    with app.app_context():
        return db.session.scalar(query)


def test_a_directive_issued_twice_is_one_directive(app, login_as):
    client = login_as("coordinator")
    key = _key(client.get("/directives/new").get_data(as_text=True))
    with app.app_context():
        field_id = str(db.session.scalar(select(Field.id).where(Field.name == "Giảm nghèo, an sinh xã hội")))
    data = {
        "meeting_id": "0", "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
        "title": "Rà soát hộ nghèo cuối năm", "content": "Các xã, phường báo cáo trước ngày 20.",
        "field_id": field_id, "timing": "dated", "deadline": days(30).isoformat(), "reporting_period": "",
        "idempotency_key": key,
    }
    first = client.post("/directives/new", data=data)
    second = client.post("/directives/new", data=data)  # Back, then "Ban hành" again
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(app, select(func.count()).select_from(Directive).where(Directive.title == "Rà soát hộ nghèo cuối năm")) == 1
    # A fresh form is a new directive: the key is per form, not per title.
    again = dict(data, idempotency_key=_key(client.get("/directives/new").get_data(as_text=True)))
    assert client.post("/directives/new", data=again).headers["Location"] != first.headers["Location"]


def test_a_meeting_recorded_twice_is_one_meeting(app, login_as):
    client = login_as("coordinator")
    key = _key(client.get("/meetings/new").get_data(as_text=True))
    data = meeting_form(app, title="Giao ban tháng 11", idempotency_key=key)
    first = client.post("/meetings/new", data=data)
    second = client.post("/meetings/new", data=data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(app, select(func.count()).select_from(Meeting).where(Meeting.title == "Giao ban tháng 11")) == 1


def test_a_comment_sent_twice_is_one_comment(app, login_as, make_directive):
    directive_id = make_directive()
    leader = login_as("leader")
    key = _key(leader.get(f"/directives/{directive_id}").get_data(as_text=True))
    data = {"text": "Khẩn trương hoàn thành trước ngày 15.", "idempotency_key": key}
    assert leader.post(f"/directives/{directive_id}/comments", data=data).status_code == 303
    assert leader.post(f"/directives/{directive_id}/comments", data=data).status_code == 303
    assert leader.post(f"/directives/{directive_id}/comments", data=data, htmx=True).status_code == 200
    count = select(func.count()).select_from(DirectiveEvent).where(
        DirectiveEvent.directive_id == directive_id, DirectiveEvent.kind == "comment")
    assert _count(app, count) == 1


def test_a_progress_report_sent_twice_is_one_report(app, login_as, make_directive, assign, assignment_of):
    directive_id = make_directive()
    assign(directive_id, ["Xã Ia Boòng"])
    assignment_id = assignment_of(directive_id, "Xã Ia Boòng")
    client = login_as("commune_a")
    key = _key(client.get(f"/assignments/{assignment_id}").get_data(as_text=True), "report-idempotency_key")
    data = {"report-text": "Đã bầu bổ sung 2 ủy viên", "report-percent": "60", "report-idempotency_key": key}
    assert client.post(f"/assignments/{assignment_id}/report", data=data).status_code == 303
    assert client.post(f"/assignments/{assignment_id}/report", data=data).status_code == 303
    assert client.post(f"/assignments/{assignment_id}/report", data=data, htmx=True).status_code == 200
    count = select(func.count()).select_from(AssignmentEvent).where(
        AssignmentEvent.assignment_id == assignment_id, AssignmentEvent.kind == "report")
    assert _count(app, count) == 1


def test_a_proposal_comment_sent_twice_is_one_comment(app, login_as, make_proposal):
    from app.proposals import workflow
    from app.proposals.models import ProposalEvent

    proposal_id = make_proposal(workflow.ASSIGNED)
    leader = login_as("leader")
    key = _key(leader.get(f"/proposals/{proposal_id}").get_data(as_text=True), "note-idempotency_key")
    data = {"note-text": "Đề nghị Sở Xây dựng trả lời trước 30/11.", "note-idempotency_key": key}
    first = leader.post(f"/proposals/{proposal_id}/note", data=data)
    second = leader.post(f"/proposals/{proposal_id}/note", data=data)  # Back, then "Gửi" again
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"] == f"/proposals/{proposal_id}"
    again = leader.post(f"/proposals/{proposal_id}/note", data=data, htmx=True)
    assert again.status_code == 200 and "Đề nghị Sở Xây dựng trả lời trước 30/11." in again.get_data(as_text=True)
    count = select(func.count()).select_from(ProposalEvent).where(
        ProposalEvent.proposal_id == proposal_id, ProposalEvent.kind == "leader_comment")
    assert _count(app, count) == 1
    # The page shown after it carries a new key: a second comment is a comment of its own.
    page = leader.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    fresh = dict(data, **{"note-idempotency_key": _key(page, "note-idempotency_key")})
    assert fresh["note-idempotency_key"] != key
    assert leader.post(f"/proposals/{proposal_id}/note", data=fresh).status_code == 303
    assert _count(app, count) == 2


def test_a_spreadsheet_sent_twice_is_one_preview(app, login_as):
    import io

    from app.imports.models import ImportBatch
    from tests.imports.conftest import PROPOSAL_HEADERS, xlsx

    client = login_as("coordinator")
    key = _key(client.get("/imports/proposals").get_data(as_text=True))
    workbook = xlsx(PROPOSAL_HEADERS, [["Xã Ia Boòng", "Bổ sung biên chế", "Thiếu 3 công chức.", "Giao thông",
                                        None, None, None, None, None, None]])

    def send():
        return client.post("/imports/proposals", content_type="multipart/form-data", data={
            "file": (io.BytesIO(workbook), "kien-nghi.xlsx"), "idempotency_key": key})

    first, second = send(), send()  # a double click on "Tải lên và kiểm tra"
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert "/imports/batches/" in first.headers["Location"]
    assert _count(app, select(func.count()).select_from(ImportBatch)) == 1


def test_a_day_off_added_twice_is_one_entry_and_the_same_calendar(app, login_as):
    from app.days_off.models import DayOff

    admin = login_as("admin")
    key = _key(admin.get("/admin/days-off/?year=2026").get_data(as_text=True))
    data = {"date": "02/01/2026", "reason": "Quyết định 12/QĐ-UBND", "idempotency_key": key}
    first = admin.post("/admin/days-off/?year=2026", data=data)
    second = admin.post("/admin/days-off/?year=2026", data=data)  # was: "Ngày 02/01/2026 đã có trong lịch", 400
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"] == "/admin/days-off/?year=2026"
    assert _count(app, select(func.count()).select_from(DayOff)) == 1


def test_a_new_body_and_a_new_field_sent_twice_are_one_each(app, login_as):
    from app.models import Unit

    admin = login_as("admin")
    key = _key(admin.get("/admin/units/new").get_data(as_text=True))
    data = {"code": "BDT", "name": "Ban Dân tộc tỉnh", "kind": "state_body", "active": "y", "idempotency_key": key}
    first, second = admin.post("/admin/units/new", data=data), admin.post("/admin/units/new", data=data)
    assert first.status_code == second.status_code == 303  # was: "Mã đơn vị đã tồn tại.", 400
    assert second.headers["Location"] == first.headers["Location"] == "/admin/units"
    assert _count(app, select(func.count()).select_from(Unit).where(Unit.code == "BDT")) == 1

    key = _key(admin.get("/admin/fields/new").get_data(as_text=True))
    data = {"name": "Dân tộc, tôn giáo", "default_lead_unit_id": "0", "default_answer_days": "45", "active": "y",
            "version": "", "idempotency_key": key}
    first, second = admin.post("/admin/fields/new", data=data), admin.post("/admin/fields/new", data=data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"] == "/admin/fields"
    assert _count(app, select(func.count()).select_from(Field).where(Field.name == "Dân tộc, tôn giáo")) == 1
