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
