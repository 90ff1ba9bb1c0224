"""Importing directives with their assignees: broadcasts, ongoing ones, errors, history."""

from datetime import date

from sqlalchemy import func, select

from app.directives.models import Assignment, Directive, DirectiveEvent
from app.extensions import db
from app.models import AuditEvent, Meeting
from tests.imports.conftest import DIRECTIVE_HEADERS, batch, in_days, read, token_of, upload, xlsx

URL = "/imports/directives"


def _meeting(app, users) -> int:
    with app.app_context():
        meeting = Meeting(title="Hội nghị giao ban 3 tháng", held_on=date(2025, 9, 24), chair_name="Lương Văn Trọng",
                          chair_title="Bí thư Tỉnh ủy", created_by_id=users["coordinator"].id)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def _assignments(app, directive_id) -> dict[str, str]:
    """unit code -> role of a directive's assignments."""
    with app.app_context():
        rows = db.session.execute(
            select(Assignment, Assignment.unit).join(Assignment.unit).where(Assignment.directive_id == directive_id)
        )
        return {a.unit.code: a.role for a, _u in rows}


def _directives(app) -> list[Directive]:
    with app.app_context():
        items = list(db.session.scalars(select(Directive).order_by(Directive.id)))
        db.session.expunge_all()
        return items


def test_template_offers_the_broadcast_shortcuts(app, as_user):
    response = as_user("coordinator").get(f"{URL}/template.xlsx")
    workbook = read(response.data)
    assert [c.value for c in workbook["Chỉ đạo"][1]] == DIRECTIVE_HEADERS
    units = [c.value for c in workbook["Danh mục"]["A"][1:]]
    assert units[:2] == ["tất cả xã, phường", "tất cả cơ quan cấp tỉnh"]
    assert "Sở Xây dựng" in units and "Xã Ia Boòng" in units
    assert [c.value for c in workbook["Danh mục"]["C"][1:4]] == ["hằng tuần", "hằng tháng", "hằng quý"]


def test_broadcast_and_ongoing_directives_are_issued_and_assigned(app, users, as_user):
    meeting_id = _meeting(app, users)
    rows = [
        ["Lương Văn Trọng", "Bí thư Tỉnh ủy", "Kiện toàn tổ chức bộ máy", "Bổ sung đủ ủy viên.", "Biên chế, tổ chức bộ máy",
         in_days(60), None, "24/09/2025", "Tất cả xã, phường", "Sở Nội vụ; Ban Tổ chức Tỉnh ủy"],
        [None, None, "Báo cáo tình hình giải ngân", "Báo cáo hằng tháng.", "Tài chính - ngân sách",
         "Thường xuyên", "hằng tháng", "Hội nghị giao ban 3 tháng", "STC;Xã Ia Boòng\nphuong pleiku", None],
    ]
    client = as_user("coordinator")
    token = token_of(upload(client, URL, xlsx(DIRECTIVE_HEADERS, rows), "Kết luận 24-9.xlsx"))
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "tất cả xã, phường (135 đơn vị)" in page and "Hằng tháng" in page
    assert _directives(app) == []
    response = client.post(f"/imports/batches/{token}/confirm")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 2 chỉ đạo từ tệp “Kết luận 24-9.xlsx”, giao 140 nhiệm vụ." in page

    broadcast, ongoing = _directives(app)
    assert broadcast.deadline == in_days(60) and broadcast.meeting_id == meeting_id
    roles = _assignments(app, broadcast.id)
    assert len(roles) == 137
    assert sum(1 for r in roles.values() if r == "lead") == 135
    assert roles["SNV"] == "support" and roles["TU-BTC"] == "support"
    assert ongoing.is_ongoing and ongoing.deadline is None and ongoing.reporting_period == "monthly"
    # No issuer in the file: the meeting's chair issued it.
    assert ongoing.issued_by_name == "Lương Văn Trọng" and ongoing.issued_by_title == "Bí thư Tỉnh ủy"
    assert set(_assignments(app, ongoing.id)) == {"STC", *_codes(app, "Xã Ia Boòng", "Phường Pleiku")}
    with app.app_context():
        notes = list(db.session.scalars(
            select(DirectiveEvent.note).where(DirectiveEvent.directive_id == broadcast.id).order_by(DirectiveEvent.id)
        ))
        assert notes == ["Nhập từ tệp “Kết luận 24-9.xlsx”, dòng 2"] * 3  # created, lead, support
        created = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "directive.create", AuditEvent.object_id == str(ongoing.id)))
        assert created.after["source"] == "Nhập từ tệp “Kết luận 24-9.xlsx”, dòng 3"
    history = client.get(f"/directives/{broadcast.id}").get_data(as_text=True)
    assert "Nhập từ tệp “Kết luận 24-9.xlsx”, dòng 2" in history


def _codes(app, *names) -> list[str]:
    from app.models import Unit

    with app.app_context():
        return list(db.session.scalars(select(Unit.code).where(Unit.name.in_(names))))


def test_directive_errors_are_shown_by_cell_and_nothing_is_issued(app, as_user):
    rows = [
        # row 2: no issuer and no meeting, no title, unknown field
        [None, None, None, "Nội dung", "Không có", in_days(10), None, None, "SXD", None],
        # row 3: ongoing without a period; an old commune name in the list; unknown unit with a suggestion
        ["Lương Văn Trọng", None, "A", "B", "Giao thông", "thường xuyên", None, None, "Thị trấn Đak Đoa; Sở Xay dung moi", None],
        # row 4: period on a dated task; bad date; a unit both lead and support; no content
        ["Lương Văn Trọng", None, "C", None, "Giao thông", "32/13/2025", "hằng quý", None, "SXD", "Sở Xây dựng"],
        # row 5: no lead; a period nobody knows
        ["Lương Văn Trọng", None, "D", "E", "Giao thông", "thường xuyên", "mỗi năm", None, None, "tất cả cơ quan cấp tỉnh"],
    ]
    client = as_user("coordinator")
    token = token_of(upload(client, URL, xlsx(DIRECTIVE_HEADERS, rows)))
    assert batch(app, token).error_count == 4
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    expected = {
        "A2": "Thiếu người chỉ đạo.",
        "C2": "Thiếu trích yếu.",
        "E2": "Không có lĩnh vực “Không có”.",
        "G3": "Nhiệm vụ thường xuyên cần kỳ báo cáo",
        "I3": "“Thị trấn Đak Đoa” là tên cũ trước 01/07/2025; đơn vị hiện nay là xã Đak Đoa.",
        "D4": "Thiếu nội dung chỉ đạo.",
        "F4": "Ngày “32/13/2025” không hợp lệ",
        "G4": "Kỳ báo cáo chỉ ghi cho nhiệm vụ thường xuyên.",
        "J4": "1 đơn vị vừa chủ trì vừa phối hợp: Sở Xây dựng.",
        "G5": "Kỳ báo cáo ghi “hằng tuần”, “hằng tháng” hoặc “hằng quý”.",
        "I5": "Thiếu đơn vị chủ trì.",
    }
    for cell, message in expected.items():
        assert f"<strong>{cell}</strong>: {message}" in page, cell
    assert "Không có đơn vị “Sở Xay dung moi”. Tên gần giống trong danh mục: Sở Xây dựng" in page
    client.post(f"/imports/batches/{token}/confirm")
    assert _directives(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_directives_file_twice_assigns_once(app, as_user):
    rows = [["Lương Văn Trọng", None, "Rà soát phân cấp", "Nội dung", "Phân cấp, phân quyền", in_days(30), None, None,
             "tất cả xã, phường", None]]
    data = xlsx(DIRECTIVE_HEADERS, rows)
    client = as_user("coordinator")
    first, second = token_of(upload(client, URL, data)), token_of(upload(client, URL, data))
    client.post(f"/imports/batches/{first}/confirm")
    client.post(f"/imports/batches/{second}/confirm")
    assert len(_directives(app)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 135
    assert upload(client, URL, data).status_code == 400


def test_only_the_coordinator_imports_directives(app, as_user):
    for key in ("commune_a", "department", "leader", "admin"):
        assert as_user(key).get(URL).status_code == 403, key
        assert as_user(key).get(f"{URL}/template.xlsx").status_code == 403, key
