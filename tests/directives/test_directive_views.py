"""Directive screens: issue, edit (with locking), list filters, page roll-up, comments, scoping."""

import io
import re

import pytest
from sqlalchemy import func, select

from app import clock
from app.directives.models import Assignment, AssignmentEvent, Directive, DirectiveEvent
from app.extensions import db
from app.models import Attachment, AuditEvent, Field
from tests.directives.conftest import PDF, days, download_status, unit_id
from tests.statements import statements_sent


def _form(**overrides):
    data = {
        "meeting_id": "0", "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
        "title": "Quan tâm công tác giảm nghèo, an sinh xã hội", "content": "Các xã, phường báo cáo hằng tháng.",
        "field_id": "", "timing": "dated", "deadline": days(30).isoformat(), "reporting_period": "",
    }
    data.update(overrides)
    return data


def _section(body: str, section_id: str) -> str:
    start = body.index(f'id="{section_id}"')
    return body[start:body.index("</section>", start)]


def _field_id(app, name="Giảm nghèo, an sinh xã hội"):
    with app.app_context():
        return str(db.session.scalar(select(Field.id).where(Field.name == name)))


def test_coordinator_issues_a_directive_with_a_file(app, login_as):
    client = login_as("coordinator")
    assert client.get("/directives/new").status_code == 200
    data = _form(field_id=_field_id(app), files=(io.BytesIO(PDF), "Thông báo kết luận.pdf"))
    response = client.post("/directives/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        directive = db.session.scalar(select(Directive))
        assert directive.title == "Quan tâm công tác giảm nghèo, an sinh xã hội"
        assert directive.deadline == days(30)
        assert "giam ngheo" in directive.search_folded
        assert response.headers["Location"] == f"/directives/{directive.id}/assign"
        assert db.session.scalar(select(Attachment.original_name).where(Attachment.owner_type == "directive")) == "Thông báo kết luận.pdf"
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "directive.create"))
        assert db.session.scalar(select(DirectiveEvent.kind)) == "created"


def test_ongoing_directive_needs_a_reporting_period(app, login_as):
    client = login_as("coordinator")
    response = client.post("/directives/new", data=_form(field_id=_field_id(app), timing="ongoing", deadline=""))
    assert response.status_code == 400
    assert "Chọn kỳ báo cáo cho nhiệm vụ thường xuyên." in response.get_data(as_text=True)
    response = client.post("/directives/new", data=_form(field_id=_field_id(app), timing="ongoing", deadline="", reporting_period="monthly"))
    assert response.status_code == 303
    with app.app_context():
        directive = db.session.scalar(select(Directive))
        assert directive.is_ongoing and directive.deadline is None and directive.reporting_period == "monthly"


def test_bad_input_keeps_the_typed_text_and_says_what_is_wrong(app, login_as):
    client = login_as("coordinator")
    cases = [
        (_form(field_id=_field_id(app), content=""), "Nhập nội dung chỉ đạo."),
        (_form(field_id=_field_id(app), deadline="31/02/2026"), "Ngày không hợp lệ"),
        (_form(field_id=_field_id(app), deadline="hôm qua"), "Ngày không hợp lệ"),
        (_form(field_id=_field_id(app), deadline=""), "Nhập hạn hoàn thành, hoặc chọn Thường xuyên."),
        (_form(field_id=""), "Chọn lĩnh vực."),
        (_form(field_id="999999"), "Lựa chọn không hợp lệ."),
        (_form(field_id=_field_id(app), files=(io.BytesIO(b"MZ not a pdf"), "virus.pdf")), "Nội dung tệp virus.pdf không đúng định dạng PDF."),
    ]
    for data, message in cases:
        response = client.post("/directives/new", data=data, content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        assert response.status_code == 400, message
        assert message in body
        assert 'aria-invalid="true"' in body
        assert "Quan tâm công tác giảm nghèo, an sinh xã hội" in body  # typed title kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Directive)) == 0


def test_edit_with_a_stale_version_is_refused_and_keeps_the_text(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    page = client.get(f"/directives/{directive_id}/edit")
    assert 'name="version" type="hidden" value="1"' in page.get_data(as_text=True)
    # Someone else saves first.
    other = login_as("coordinator")
    assert other.post(f"/directives/{directive_id}/edit", data=_form(field_id=_field_id(app), version="1", title="Bản của người khác")).status_code == 303
    response = client.post(f"/directives/{directive_id}/edit", data=_form(field_id=_field_id(app), version="1", content="Nội dung tôi vừa gõ"))
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Người khác vừa lưu hồ sơ này trong lúc bạn sửa" in body
    assert "Nội dung tôi vừa gõ" in body
    notice = body.split("data-conflict", 1)[1].split("</div>", 1)[0]
    assert "<dt>Trích yếu</dt>" in notice and "Bản của người khác" in notice
    with app.app_context():
        assert db.session.get(Directive, directive_id).title == "Bản của người khác"
    # One more click, with the version the refused form now carries, saves on top.
    assert 'name="version" type="hidden" value="2"' in body
    again = client.post(f"/directives/{directive_id}/edit", data=_form(field_id=_field_id(app), version="2", content="Nội dung tôi vừa gõ"))
    assert again.status_code == 303
    with app.app_context():
        assert db.session.get(Directive, directive_id).content == "Nội dung tôi vừa gõ"


def test_edit_moves_open_deadlines_and_keeps_history(app, login_as, make_directive, assign, assignment_of, set_assignment):
    directive_id = make_directive(deadline=days(10))
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku"])
    done = assignment_of(directive_id, "Phường Pleiku")
    set_assignment(done, state="done", completion_requested_on=days(-1), completed_on=days(-1))
    client = login_as("coordinator")
    response = client.post(
        f"/directives/{directive_id}/edit",
        data=_form(field_id=_field_id(app), version="1", title="Kiện toàn tổ chức bộ máy xã, phường", deadline=days(20).isoformat()),
    )
    assert response.status_code == 303
    with app.app_context():
        open_one = db.session.get(Assignment, assignment_of(directive_id, "Xã Ia Boòng"))
        assert open_one.original_deadline == days(20)
        assert db.session.get(Assignment, done).original_deadline == days(10)
        kinds = db.session.scalars(select(AssignmentEvent.kind).where(AssignmentEvent.assignment_id == open_one.id)).all()
        assert kinds == ["assigned", "deadline_changed"]
        event = db.session.scalar(select(DirectiveEvent).where(DirectiveEvent.kind == "updated"))
        assert "deadline" in event.changes
        update = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directive.update"))
        assert update.after["assignments_moved"] == 1 and update.after["deadline"] == days(20).isoformat()
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 2


def _three_directives(make_directive, assign, set_assignment, assignment_of):
    poverty = make_directive(title="Quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội",
                             field_name="Giảm nghèo, an sinh xã hội", deadline=days(-3))
    apparatus = make_directive(title="Kiện toàn tổ chức bộ máy", deadline=days(20), issuer="Siu Hoan")
    ongoing = make_directive(title="Chuyển đổi số cấp xã", ongoing=True, period="monthly")
    assign(poverty, ["Xã Ia Boòng", "Phường Pleiku"])
    assign(apparatus, ["Phường Pleiku", "SXD"])
    assign(ongoing, ["SXD"])
    # Ia Boòng finished poverty on time; Pleiku is overdue on it.
    set_assignment(assignment_of(poverty, "Xã Ia Boòng"), state="done", completion_requested_on=days(-5), completed_on=days(-5))
    return poverty, apparatus, ongoing


def test_list_filters(app, login_as, make_directive, assign, set_assignment, assignment_of):
    poverty, apparatus, ongoing = _three_directives(make_directive, assign, set_assignment, assignment_of)
    client = login_as("coordinator")

    def titles(**query):
        response = client.get("/directives", query_string=query, htmx=True)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "<html" not in body and 'id="directives-table"' in body
        return {t for t in ("giảm nghèo", "Kiện toàn", "Chuyển đổi số") if t in body}

    assert titles() == {"giảm nghèo", "Kiện toàn", "Chuyển đổi số"}
    assert titles(q="giam ngheo") == {"giảm nghèo"}
    assert titles(q="KIEN TOAN") == {"Kiện toàn"}
    assert titles(status="open_overdue") == {"giảm nghèo"}
    assert titles(status="ongoing") == {"Chuyển đổi số"}
    assert titles(status="done_on_time") == {"giảm nghèo"}
    with app.app_context():
        sxd, ia_boong = unit_id("SXD"), unit_id("Xã Ia Boòng")
    assert titles(unit_id=sxd) == {"Kiện toàn", "Chuyển đổi số"}
    # The unit and the status filter speak of the same assignment.
    assert titles(unit_id=ia_boong, status="open_overdue") == set()
    assert titles(unit_id=ia_boong, status="done_on_time") == {"giảm nghèo"}
    assert titles(field_id=_field_id(app)) == {"giảm nghèo"}
    assert titles(issuer="Siu Hoan") == {"Kiện toàn"}
    assert titles(deadline_from=days(0).isoformat()) == {"Kiện toàn"}
    assert titles(deadline_to=days(0).strftime("%d/%m/%Y")) == {"giảm nghèo"}
    assert titles(sort="deadline") == {"giảm nghèo", "Kiện toàn", "Chuyển đổi số"}


def test_commune_status_filter_speaks_of_its_own_assignment_only(
    app, login_as, make_directive, assign, set_assignment, assignment_of
):
    """Ia Boòng finished its share of poverty; Pleiku's share is overdue. Filtering by
    "overdue", Ia Boòng must not learn that another commune is behind on it."""
    _three_directives(make_directive, assign, set_assignment, assignment_of)
    client = login_as("commune_a")

    def titles(**query):
        response = client.get("/directives", query_string=query, htmx=True)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        return {t for t in ("giảm nghèo", "Kiện toàn", "Chuyển đổi số") if t in body}

    assert titles() == {"giảm nghèo"}
    assert titles(status="open_overdue") == set()
    assert titles(status="done_on_time") == {"giảm nghèo"}
    # The unit filter is for province-wide roles; a commune cannot use it to look elsewhere.
    with app.app_context():
        pleiku = unit_id("Phường Pleiku")
    assert titles(unit_id=pleiku, status="open_overdue") == set()


def test_list_bad_filter_date_says_so_with_400(login_as):
    client = login_as("coordinator")
    response = client.get("/directives", query_string={"deadline_from": "32/13/2025"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.get_data(as_text=True)


def test_list_full_page_and_fragment(login_as, make_directive):
    make_directive()
    client = login_as("leader")
    page = client.get("/directives")
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]
    fragment = client.get("/directives", htmx=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_units_see_only_directives_assigned_to_them(login_as, make_directive, assign, set_assignment, assignment_of):
    poverty, apparatus, ongoing = _three_directives(make_directive, assign, set_assignment, assignment_of)
    commune = login_as("commune_a")  # Xã Ia Boòng: only the poverty directive
    body = commune.get("/directives").get_data(as_text=True)
    assert "giảm nghèo" in body and "Kiện toàn" not in body and "Chuyển đổi số" not in body
    assert commune.get(f"/directives/{poverty}").status_code == 200
    assert commune.get(f"/directives/{apparatus}").status_code == 404
    assert commune.get("/directives/999999").status_code == 404
    department = login_as("department")  # SXD
    assert department.get(f"/directives/{apparatus}").status_code == 200
    assert department.get(f"/directives/{poverty}").status_code == 404
    # A unit's view of a directive shows its own assignment only, not the other units'.
    page = commune.get(f"/directives/{poverty}").get_data(as_text=True)
    assert "Xã Ia Boòng" in page and "Phường Pleiku" not in page
    assert "đơn vị đã hoàn thành" not in page


@pytest.mark.parametrize("url", ["/directives", "/directives/{id}", "/assignments", "/meetings", "/directives/new"])
def test_admin_sees_no_directives(login_as, make_directive, url):
    directive_id = make_directive()
    response = login_as("admin").get(url.format(id=directive_id))
    assert response.status_code == 403
    assert "Kiện toàn" not in response.get_data(as_text=True)


def test_directive_page_rollup(app, login_as, make_directive, assign, assignment_of, set_assignment):
    directive_id = make_directive(deadline=days(-2))
    assign(directive_id, "all_communes")
    with app.app_context():
        ids = list(db.session.scalars(select(Assignment.id).where(Assignment.directive_id == directive_id).order_by(Assignment.id)))
    # 112 done (100 on time, 12 late), 20 still open past the deadline, 1 waiting, 2 cancelled.
    with app.app_context():
        for n, assignment_id in enumerate(ids):
            a = db.session.get(Assignment, assignment_id)
            if n < 100:
                a.state, a.completion_requested_on, a.completed_on = "done", days(-3), days(-3)
            elif n < 112:
                a.state, a.completion_requested_on, a.completed_on = "done", days(-1), days(-1)
            elif n < 113:
                a.state, a.completion_requested_on = "awaiting_confirmation", days(-1)
            elif n < 115:
                a.state, a.state_reason = "cancelled", "Trùng nhiệm vụ"
        db.session.commit()
    client = login_as("leader")
    body = client.get(f"/directives/{directive_id}").get_data(as_text=True)
    assert "112/133 đơn vị đã hoàn thành" in body
    assert 'data-count="done_on_time">100<' in body
    assert 'data-count="done_late">12<' in body
    assert 'data-count="open_overdue">21<' in body
    # 112 / (112 + 21) = 84,2%; 100 / 112 = 89,3%
    assert re.search(r'data-rate="completion"><span class="rate"[^>]*><span class="rate-value">84,2%<', body)
    assert re.search(r'data-rate="on_time"><span class="rate"[^>]*><span class="rate-value">89,3%<', body)
    assert "1 chờ xác nhận" in body
    assert "ngoài ra 2 nhiệm vụ đã hủy (không tính vào tổng số và tỷ lệ)" in body


def test_rollup_with_nothing_due_shows_dashes(login_as, make_directive, assign):
    directive_id = make_directive(deadline=days(10))
    assign(directive_id, ["Xã Ia Boòng"])
    body = login_as("coordinator").get(f"/directives/{directive_id}").get_data(as_text=True)
    assert "0/1 đơn vị đã hoàn thành" in body
    assert re.search(r'data-rate="completion"><span class="rate"[^>]*><span class="rate-value">—<', body)
    assert re.search(r'data-rate="on_time"><span class="rate"[^>]*><span class="rate-value">—<', body)


def test_not_reported_list_and_table_filters(app, login_as, make_directive, assign, assignment_of):
    directive_id = make_directive(deadline=days(5))
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku"])
    assign(directive_id, ["SXD"], role="support")
    commune = login_as("commune_a")
    response = commune.post(f"/assignments/{assignment_of(directive_id, 'Xã Ia Boòng')}/report",
                            data={"report-text": "Đã họp triển khai", "report-percent": "30"})
    assert response.status_code == 303
    client = login_as("coordinator")
    body = client.get(f"/directives/{directive_id}").get_data(as_text=True)
    not_reported = _section(body, "not-reported")
    assert "Phường Pleiku" in not_reported and "Sở Xây dựng" in not_reported
    assert "Xã Ia Boòng" not in not_reported
    assert "30%" in body and "Đã họp triển khai" in body
    # The filters inside the table swap only the table.
    fragment = client.get(f"/directives/{directive_id}", query_string={"role": "support"}, htmx=True).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="assignments-table"')
    assert "Sở Xây dựng" in fragment and "Phường Pleiku" not in fragment
    fragment = client.get(f"/directives/{directive_id}", query_string={"unit_q": "pleiku"}, htmx=True).get_data(as_text=True)
    assert "Phường Pleiku" in fragment and "Xã Ia Boòng" not in fragment


def test_ongoing_directive_counts_reports_of_this_period(app, login_as, make_directive, assign, assignment_of):
    from datetime import timedelta

    from app.directives.models import ProgressReport

    directive_id = make_directive(ongoing=True, period="monthly")
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku"])
    with app.app_context():
        old = clock.now() - timedelta(days=62)
        db.session.add(ProgressReport(assignment_id=assignment_of(directive_id, "Xã Ia Boòng"), text="Tháng trước", percent=50, created_at=old))
        db.session.add(ProgressReport(assignment_id=assignment_of(directive_id, "Phường Pleiku"), text="Tháng này", percent=60))
        db.session.commit()
    body = login_as("coordinator").get(f"/directives/{directive_id}").get_data(as_text=True)
    not_reported = _section(body, "not-reported")
    assert "Xã Ia Boòng" in not_reported and "Phường Pleiku" not in not_reported
    assert 'data-count="ongoing">2<' in body


def test_leader_comment_in_place(app, login_as, make_directive):
    directive_id = make_directive()
    leader = login_as("leader")
    response = leader.post(f"/directives/{directive_id}/comments", data={"text": "Khẩn trương hoàn thành trước ngày 15."}, htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="directive-comments"' in body
    assert "Khẩn trương hoàn thành trước ngày 15." in body
    empty = leader.post(f"/directives/{directive_id}/comments", data={"text": "  "}, htmx=True)
    assert empty.status_code == 400 and "Nhập nội dung ý kiến." in empty.get_data(as_text=True)
    plain = leader.post(f"/directives/{directive_id}/comments", data={"text": "Ý kiến thứ hai"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#directive-comments")
    with app.app_context():
        notes = db.session.scalars(select(DirectiveEvent.note).where(DirectiveEvent.kind == "comment")).all()
        assert notes == ["Khẩn trương hoàn thành trước ngày 15.", "Ý kiến thứ hai"]
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "directive.comment")) == 2


@pytest.mark.parametrize("role", ["coordinator", "commune_a", "department", "admin"])
def test_only_leaders_comment(login_as, make_directive, role):
    directive_id = make_directive()
    assert login_as(role).post(f"/directives/{directive_id}/comments", data={"text": "x"}).status_code == 403


def test_comment_without_csrf_token_is_refused(app, login_as, make_directive):
    directive_id = make_directive()
    leader = login_as("leader")
    response = leader.post(f"/directives/{directive_id}/comments", data={"text": "Không có mã"}, htmx=True, csrf=False)
    assert response.status_code == 400
    assert "mã bảo mật" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DirectiveEvent).where(DirectiveEvent.kind == "comment")) == 0


@pytest.mark.parametrize(
    ("role", "expected"), [("commune_a", 200), ("commune_b", 404), ("leader", 200), ("admin", 404)]
)
def test_directive_file_served_only_to_those_who_see_the_directive(app, login_as, make_directive, assign, role, expected):
    client = login_as("coordinator")
    response = client.post("/directives/new", data=_form(field_id=_field_id(app), files=(io.BytesIO(PDF), "kl.pdf")),
                           content_type="multipart/form-data")
    directive_id = int(response.headers["Location"].split("/")[2])
    assign(directive_id, ["Xã Ia Boòng"])
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.owner_type == "directive"))
    assert download_status(login_as(role), f"/files/{file_id}") == expected


def test_saving_an_unchanged_directive_writes_no_history(app, login_as, make_directive):
    directive_id = make_directive(title="Kiện toàn tổ chức bộ máy", content="Nội dung", deadline=days(30))
    client = login_as("coordinator")
    data = _form(field_id=_field_id(app, "Biên chế, tổ chức bộ máy"), version="1", title="Kiện toàn tổ chức bộ máy",
                 content="Nội dung", issued_by_title="Bí thư Tỉnh ủy")
    assert client.post(f"/directives/{directive_id}/edit", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DirectiveEvent).where(DirectiveEvent.kind == "updated")) == 0
        assert db.session.get(Directive, directive_id).version == 1


def test_the_issuer_filter_lists_a_new_issuer_at_once_and_only_what_a_unit_sees(
        app, users, make_directive, assign, login_as):
    """The issuer names are kept for the data version: a directive issued since shows its issuer
    on the next page, and a commune sees only the issuers of directives sent to it."""
    coordinator = login_as("coordinator")
    first = make_directive(title="Chỉ đạo thứ nhất", issuer="Trần Văn Khải")
    assign(first, "all_communes")
    page = coordinator.get("/directives").get_data(as_text=True)
    assert 'value="Trần Văn Khải"' in page
    assert "Đinh Thị Hạnh" not in page
    make_directive(title="Chỉ đạo thứ hai", issuer="Đinh Thị Hạnh")  # sent to no unit yet
    page = coordinator.get("/directives").get_data(as_text=True)
    assert 'value="Trần Văn Khải"' in page and 'value="Đinh Thị Hạnh"' in page
    # Nothing changed since: the names are not gathered from every directive again.
    with statements_sent(app) as sent:
        assert 'value="Đinh Thị Hạnh"' in coordinator.get("/directives?page=1").get_data(as_text=True)
    assert not [statement for statement in sent if "DISTINCT directives.issued_by_name" in statement]
    commune_page = login_as("commune_a").get("/directives").get_data(as_text=True)
    assert 'value="Trần Văn Khải"' in commune_page
    assert "Đinh Thị Hạnh" not in commune_page
