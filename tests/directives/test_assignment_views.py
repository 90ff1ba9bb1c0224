"""Assignment page and actions: reports in place, completion, extensions, suspend/cancel, scoping."""

import io

import pytest
from sqlalchemy import func, select

from app.directives.models import Assignment, AssignmentEvent, ExtensionRequest, ProgressReport
from app.extensions import db
from app.models import Attachment, AuditEvent
from tests.directives.conftest import PDF, days, download_status


@pytest.fixture
def setup(make_directive, assign, assignment_of):
    """A directive due in 10 days, assigned to Ia Boòng (commune_a) and Pleiku (commune_b)."""
    directive_id = make_directive(deadline=days(10))
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku", "SXD"])
    return {
        "directive": directive_id,
        "mine": assignment_of(directive_id, "Xã Ia Boòng"),
        "other": assignment_of(directive_id, "Phường Pleiku"),
        "sxd": assignment_of(directive_id, "SXD"),
    }


def _assignment(app, assignment_id) -> Assignment:
    with app.app_context():
        a = db.session.get(Assignment, assignment_id)
        db.session.expunge(a)
        return a


def _events(app, assignment_id) -> list[str]:
    with app.app_context():
        query = select(AssignmentEvent.kind).where(AssignmentEvent.assignment_id == assignment_id).order_by(AssignmentEvent.id)
        return list(db.session.scalars(query))


def _audit(app, prefix: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.id)))


def test_unit_reports_progress_in_place(app, login_as, setup):
    client = login_as("commune_a")
    page = client.get(f"/assignments/{setup['mine']}").get_data(as_text=True)
    assert "Báo cáo tiến độ" in page and "Đề nghị xác nhận hoàn thành" in page and "Đề nghị gia hạn" in page
    assert "Xác nhận hoàn thành</button>" not in page
    response = client.post(
        f"/assignments/{setup['mine']}/report", htmx=True, content_type="multipart/form-data",
        data={"report-text": "Đã bầu bổ sung 2 ủy viên", "report-percent": "60", "report-files": (io.BytesIO(PDF), "Biên bản.pdf")},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="assignment-panel"')
    assert "Đã gửi báo cáo tiến độ." in body
    assert "Đã bầu bổ sung 2 ủy viên" in body and "60%" in body and "Biên bản.pdf" in body
    with app.app_context():
        report = db.session.scalar(select(ProgressReport))
        assert (report.text, report.percent, report.author.username) == ("Đã bầu bổ sung 2 ủy viên", 60, "xa.a")
    assert _events(app, setup["mine"]) == ["assigned", "report"]
    assert _audit(app, "assignment.") == ["assignment.report"]


def test_report_without_javascript_redirects_with_303(app, login_as, setup):
    client = login_as("commune_a")
    response = client.post(f"/assignments/{setup['mine']}/report", data={"report-text": "Tiến độ", "report-percent": "10"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/assignments/{setup['mine']}"
    assert "Đã gửi báo cáo tiến độ." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "percent", "message"),
    [
        ("Tiến độ tốt", "150", "Tỷ lệ hoàn thành từ 0 đến 100."),
        ("Tiến độ tốt", "-1", "Tỷ lệ hoàn thành từ 0 đến 100."),
        ("Tiến độ tốt", "nhiều", "Nhập một số nguyên."),
        ("Tiến độ tốt", "", "Nhập tỷ lệ hoàn thành."),
        ("", "50", "Nhập nội dung báo cáo."),
    ],
)
def test_bad_report_is_refused_next_to_the_field(app, login_as, setup, text, percent, message):
    client = login_as("commune_a")
    response = client.post(f"/assignments/{setup['mine']}/report", htmx=True,
                           data={"report-text": text, "report-percent": percent})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and 'aria-invalid="true"' in body
    if text:
        assert text in body  # what was typed is still there
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgressReport)) == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [("commune_a", 200), ("coordinator", 200), ("leader", 200), ("commune_b", 404), ("department", 404), ("admin", 404)],
)
def test_report_files_are_served_only_to_those_who_see_the_assignment(app, login_as, setup, role, expected):
    client = login_as("commune_a")
    client.post(f"/assignments/{setup['mine']}/report", content_type="multipart/form-data",
                data={"report-text": "Kèm biên bản", "report-percent": "20", "report-files": (io.BytesIO(PDF), "bb.pdf")})
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.owner_type == "progress_report"))
    viewer = client if role == "commune_a" else login_as(role)
    assert download_status(viewer, f"/files/{file_id}") == expected


def test_a_unit_gets_404_for_another_units_assignment(login_as, setup):
    client = login_as("commune_a")
    assert client.get(f"/assignments/{setup['other']}").status_code == 404
    assert client.post(f"/assignments/{setup['other']}/report", data={"report-text": "x", "report-percent": "1"}).status_code == 404
    assert client.get("/assignments/999999").status_code == 404
    assert login_as("department").get(f"/assignments/{setup['mine']}").status_code == 404
    assert login_as("department").get(f"/assignments/{setup['sxd']}").status_code == 200


@pytest.mark.parametrize(
    ("role", "action", "data"),
    [
        ("commune_a", "review", {"decision": "confirm"}),
        ("commune_a", "stop", {"stop-reason": "x", "decision": "cancel"}),
        ("commune_a", "decide", {"decision": "approve"}),
        ("leader", "review", {"decision": "confirm"}),
        ("leader", "report", {"report-text": "x", "report-percent": "1"}),
        ("coordinator", "report", {"report-text": "x", "report-percent": "1"}),
        ("coordinator", "complete", {}),
        ("coordinator", "extend", {"extend-requested_deadline": "2099-01-01", "extend-reason": "x"}),
    ],
)
def test_seeing_but_not_allowed_to_act_gives_403(app, login_as, setup, set_assignment, role, action, data):
    set_assignment(setup["mine"], state="awaiting_confirmation", completion_requested_on=days(-1))
    client = login_as(role)
    assert client.get(f"/assignments/{setup['mine']}").status_code == 200
    assert client.post(f"/assignments/{setup['mine']}/{action}", data=data).status_code == 403
    assert _assignment(app, setup["mine"]).state == "awaiting_confirmation"
    assert _events(app, setup["mine"]) == ["assigned"]


def test_unknown_action_is_404(login_as, setup):
    assert login_as("coordinator").post(f"/assignments/{setup['mine']}/nonsense").status_code == 404


def test_completion_requested_then_confirmed(app, login_as, setup):
    commune = login_as("commune_a")
    response = commune.post(f"/assignments/{setup['mine']}/complete", htmx=True, data={"complete-note": "Đã đủ ủy viên"})
    assert response.status_code == 200
    assert "Chờ xác nhận hoàn thành" in response.get_data(as_text=True)
    a = _assignment(app, setup["mine"])
    assert a.state == "awaiting_confirmation" and a.completion_requested_on == days(0)
    coordinator = login_as("coordinator")
    page = coordinator.get(f"/assignments/{setup['mine']}").get_data(as_text=True)
    assert "Xác nhận hoàn thành</button>" in page
    response = coordinator.post(f"/assignments/{setup['mine']}/review", htmx=True, data={"decision": "confirm"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Đã xác nhận hoàn thành." in body and "Hoàn thành đúng hạn" in body
    a = _assignment(app, setup["mine"])
    assert a.state == "done" and a.completed_on == days(0)
    assert _events(app, setup["mine"]) == ["assigned", "completion_requested", "confirmed"]
    assert _audit(app, "assignment.") == ["assignment.request_completion", "assignment.confirm"]
    # Confirming twice: the state has moved on, so 409 with a message, nothing changes.
    again = coordinator.post(f"/assignments/{setup['mine']}/review", htmx=True, data={"decision": "confirm"})
    assert again.status_code == 409
    assert "không ở trạng thái chờ xác nhận" in again.get_data(as_text=True)


def test_completion_date_is_the_day_asked_even_if_confirmed_after_the_deadline(app, login_as, setup, set_assignment):
    set_assignment(setup["mine"], original_deadline=days(-2), state="awaiting_confirmation", completion_requested_on=days(-3))
    coordinator = login_as("coordinator")
    assert coordinator.post(f"/assignments/{setup['mine']}/review", data={"decision": "confirm"}).status_code == 303
    a = _assignment(app, setup["mine"])
    assert a.completed_on == days(-3)
    assert a.status_on(days(0)).key == "done_on_time"


def test_send_back_needs_a_reason(app, login_as, setup, set_assignment):
    set_assignment(setup["mine"], state="awaiting_confirmation", completion_requested_on=days(-1))
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/assignments/{setup['mine']}/review", htmx=True, data={"decision": "send_back", "review-note": ""})
    assert response.status_code == 400
    assert "Nêu lý do trả lại." in response.get_data(as_text=True)
    assert _assignment(app, setup["mine"]).state == "awaiting_confirmation"
    response = coordinator.post(f"/assignments/{setup['mine']}/review", htmx=True,
                                data={"decision": "send_back", "review-note": "Còn thiếu 1 ủy viên Ban Thường vụ"})
    assert response.status_code == 200
    a = _assignment(app, setup["mine"])
    assert a.state == "in_progress" and a.completion_requested_on is None
    assert "Còn thiếu 1 ủy viên Ban Thường vụ" in response.get_data(as_text=True)


def test_extension_request_and_approval(app, login_as, setup):
    commune = login_as("commune_a")
    url = f"/assignments/{setup['mine']}/extend"
    for value, message in [
        (days(5).isoformat(), "Thời hạn đề nghị phải sau thời hạn hiện tại."),
        (days(10).isoformat(), "Thời hạn đề nghị phải sau thời hạn hiện tại."),
        ("30-02-2026", "Ngày không hợp lệ"),
        ("", "Nhập ngày đề nghị gia hạn."),
    ]:
        response = commune.post(url, htmx=True, data={"extend-requested_deadline": value, "extend-reason": "Chờ chuẩn y"})
        assert response.status_code == 400, value
        body = response.get_data(as_text=True)
        assert message in body and "Chờ chuẩn y" in body
    no_reason = commune.post(url, htmx=True, data={"extend-requested_deadline": days(20).isoformat(), "extend-reason": ""})
    assert no_reason.status_code == 400 and "Nêu lý do đề nghị gia hạn." in no_reason.get_data(as_text=True)
    ok = commune.post(url, htmx=True, data={"extend-requested_deadline": days(20).strftime("%d/%m/%Y"), "extend-reason": "Chờ chuẩn y"})
    assert ok.status_code == 200 and "đang chờ xem xét" in ok.get_data(as_text=True)
    twice = commune.post(url, htmx=True, data={"extend-requested_deadline": days(25).isoformat(), "extend-reason": "Lần nữa"})
    assert twice.status_code == 409 and "Đã có đề nghị gia hạn đang chờ xem xét." in twice.get_data(as_text=True)
    coordinator = login_as("coordinator")
    refuse_empty = coordinator.post(f"/assignments/{setup['mine']}/decide", htmx=True, data={"decision": "refuse"})
    assert refuse_empty.status_code == 400 and "Nêu lý do không đồng ý gia hạn." in refuse_empty.get_data(as_text=True)
    approved = coordinator.post(f"/assignments/{setup['mine']}/decide", htmx=True, data={"decision": "approve"})
    assert approved.status_code == 200 and "Đã đồng ý gia hạn." in approved.get_data(as_text=True)
    a = _assignment(app, setup["mine"])
    assert a.original_deadline == days(10) and a.extended_deadline == days(20) and a.deadline == days(20)
    with app.app_context():
        ext = db.session.scalar(select(ExtensionRequest))
        assert (ext.state, ext.previous_deadline, ext.requested_deadline) == ("approved", days(10), days(20))
    assert _events(app, setup["mine"]) == ["assigned", "extension_requested", "extension_approved"]
    assert _audit(app, "extension.") == ["extension.request", "extension.approved"]
    # The next request must go beyond the extended deadline.
    beyond = commune.post(url, htmx=True, data={"extend-requested_deadline": days(15).isoformat(), "extend-reason": "Thêm"})
    assert beyond.status_code == 400


def test_extension_refused_keeps_the_deadline(app, login_as, setup):
    login_as("commune_a").post(f"/assignments/{setup['mine']}/extend",
                               data={"extend-requested_deadline": days(30).isoformat(), "extend-reason": "Thiếu kinh phí"})
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/assignments/{setup['mine']}/decide",
                                data={"decision": "refuse", "decide-note": "Không có cơ sở gia hạn"})
    assert response.status_code == 303
    a = _assignment(app, setup["mine"])
    assert a.extended_deadline is None and a.deadline == days(10)
    with app.app_context():
        assert db.session.scalar(select(ExtensionRequest.decision_note)) == "Không có cơ sở gia hạn"
    # The flash says what was done, as a clerk writes it (issue 14 §6), not "Đã không đồng ý gia hạn."
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã trả lời không đồng ý gia hạn." in page


def test_suspend_resume_cancel(app, login_as, setup):
    login_as("commune_a").post(f"/assignments/{setup['mine']}/extend",
                               data={"extend-requested_deadline": days(30).isoformat(), "extend-reason": "Thiếu kinh phí"})
    coordinator = login_as("coordinator")
    url = f"/assignments/{setup['mine']}"
    no_reason = coordinator.post(url + "/stop", htmx=True, data={"decision": "suspend", "stop-reason": ""})
    assert no_reason.status_code == 400 and "Nêu lý do." in no_reason.get_data(as_text=True)
    assert coordinator.post(url + "/stop", htmx=True, data={"decision": "suspend", "stop-reason": "Chờ đề án"}).status_code == 200
    a = _assignment(app, setup["mine"])
    assert (a.state, a.state_reason) == ("suspended", "Chờ đề án")
    # A suspended assignment takes no reports.
    blocked = login_as("commune_a").post(url + "/report", htmx=True, data={"report-text": "x", "report-percent": "5"})
    assert blocked.status_code == 409
    assert coordinator.post(url + "/resume", htmx=True).status_code == 200
    assert _assignment(app, setup["mine"]).state == "in_progress"
    assert coordinator.post(url + "/stop", data={"decision": "cancel", "stop-reason": "Trùng nhiệm vụ"}).status_code == 303
    assert _assignment(app, setup["mine"]).state == "cancelled"
    with app.app_context():
        # Cancelling closed the pending extension request.
        assert db.session.scalar(select(ExtensionRequest.state)) == "withdrawn"
    assert _audit(app, "extension.") == ["extension.request", "extension.withdrawn"]
    assert _events(app, setup["mine"]) == [
        "assigned", "extension_requested", "suspended", "resumed", "extension_withdrawn", "cancelled",
    ]
    assert _audit(app, "assignment.") == ["assignment.suspend", "assignment.resume", "assignment.cancel"]


def test_htmx_action_without_csrf_token_is_refused(app, login_as, setup):
    client = login_as("commune_a")
    response = client.post(f"/assignments/{setup['mine']}/report", htmx=True, csrf=False,
                           data={"report-text": "Không có mã", "report-percent": "10"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_assignment_page_full_and_timeline(app, login_as, setup):
    client = login_as("commune_a")
    client.post(f"/assignments/{setup['mine']}/report", data={"report-text": "Báo cáo lần 1", "report-percent": "10"})
    client.post(f"/assignments/{setup['mine']}/report", data={"report-text": "Báo cáo lần 2", "report-percent": "40"})
    page = client.get(f"/assignments/{setup['mine']}")
    body = page.get_data(as_text=True)
    assert "<html" in body and 'id="timeline"' in body
    # Newest first.
    assert body.index("Báo cáo lần 2") < body.index("Báo cáo lần 1") < body.index("Giao nhiệm vụ")


def test_my_assignments_due_soonest_first_and_scoped(app, login_as, make_directive, assign, assignment_of):
    late = make_directive(title="Nhiệm vụ hạn xa", deadline=days(40))
    soon = make_directive(title="Nhiệm vụ hạn gần", deadline=days(2))
    ongoing = make_directive(title="Nhiệm vụ thường xuyên", ongoing=True, period="weekly")
    elsewhere = make_directive(title="Nhiệm vụ của phường khác", deadline=days(1))
    for d in (late, soon, ongoing):
        assign(d, ["Xã Ia Boòng"])
    assign(elsewhere, ["Phường Pleiku"])
    body = login_as("commune_a").get("/assignments").get_data(as_text=True)
    assert "Nhiệm vụ của phường khác" not in body
    assert body.index("Nhiệm vụ hạn gần") < body.index("Nhiệm vụ hạn xa") < body.index("Nhiệm vụ thường xuyên")
    assert "Sắp đến hạn" in body
    home = login_as("commune_a").get("/").get_data(as_text=True)
    assert "Nhiệm vụ được giao" in home
    panel = home.split("Nhiệm vụ được giao", 1)[1]  # the home panel ranks as the list does
    assert panel.index("Nhiệm vụ hạn gần") < panel.index("Nhiệm vụ hạn xa") < panel.index("Nhiệm vụ thường xuyên")
    assert "Nhiệm vụ của phường khác" not in home
    assert home.index("Nhiệm vụ hạn gần") < home.index("Nhiệm vụ hạn xa")


def test_coordinator_queues_on_home_and_in_the_list(app, login_as, setup, set_assignment):
    set_assignment(setup["mine"], state="awaiting_confirmation", completion_requested_on=days(-1))
    set_assignment(setup["other"], original_deadline=days(-4))
    login_as("department").post(f"/assignments/{setup['sxd']}/extend",
                                data={"extend-requested_deadline": days(40).isoformat(), "extend-reason": "Chờ vốn"})
    coordinator = login_as("coordinator")
    home = coordinator.get("/").get_data(as_text=True)

    def panel(key):
        start = home.index(f'data-panel="{key}"')
        return home[start:home.index("</article>", start)]

    assert "Xã Ia Boòng" in panel("awaiting") and "Phường Pleiku" not in panel("awaiting")
    assert "Sở Xây dựng" in panel("extension")
    assert "Phường Pleiku" in panel("open_overdue") and "Đang thực hiện quá hạn</span> <small class=\"overdue\">4 ngày</small>" in panel("open_overdue")
    listing = coordinator.get("/assignments", query_string={"status": "awaiting"}, htmx=True).get_data(as_text=True)
    assert "<html" not in listing and "Xã Ia Boòng" in listing and "Phường Pleiku" not in listing
    leader_home = login_as("leader").get("/").get_data(as_text=True)
    assert "Tình hình thực hiện chỉ đạo" in leader_home and 'data-count="open_overdue">1<' in leader_home
