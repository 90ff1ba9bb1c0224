"""Meeting screens: record with files, edit with locking, list search, page with its directives."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, AuditEvent, Meeting, Unit
from tests.directives.conftest import PDF, download_status

TITLE = "Hội nghị giao ban Thường trực Tỉnh ủy với Thường trực Đảng ủy 135 xã, phường"


def _form(app, **overrides):
    with app.app_context():
        office = db.session.scalar(select(Unit.id).where(Unit.code == "TU-VP"))
    data = {
        "title": TITLE, "held_on": "2025-09-24", "kind": "giao_ban", "chair_name": "Lương Văn Trọng",
        "chair_title": "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy", "issuing_unit_id": str(office),
        "participants": "Siu Hoan; Vũ Đức Thành", "summary": "Đánh giá 3 tháng vận hành chính quyền 2 cấp.",
    }
    data.update(overrides)
    return data


def _create(client, app, **overrides):
    response = client.post("/meetings/new", data=_form(app, **overrides), content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_coordinator_records_a_meeting_with_minutes(app, login_as):
    client = login_as("coordinator")
    form = client.get("/meetings/new").get_data(as_text=True)
    assert "Cơ quan ban hành thông báo kết luận" in form
    meeting_id = _create(client, app, files=(io.BytesIO(PDF), "Thông báo kết luận 24-9.pdf"))
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert TITLE in page and "24/09/2025" in page and "Lương Văn Trọng" in page and "Văn phòng Tỉnh ủy" in page
    assert "Thông báo kết luận 24-9.pdf" in page
    assert "Ban hành chỉ đạo từ hội nghị này" in page
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.held_on == date(2025, 9, 24) and meeting.kind == "giao_ban"
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "meetings")) == "meeting.create"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Nhập tên hội nghị."),
        ({"held_on": "24/13/2025"}, "Ngày không hợp lệ"),
        ({"held_on": ""}, "Nhập ngày họp."),
        ({"issuing_unit_id": "999999"}, "Lựa chọn không hợp lệ."),
        ({"kind": "tiec"}, "Lựa chọn không hợp lệ."),
        ({"files": (io.BytesIO(b"hello"), "notes.txt")}, "Chỉ nhận tệp PDF"),
    ],
)
def test_bad_meeting_input(app, login_as, overrides, message):
    client = login_as("coordinator")
    response = client.post("/meetings/new", data=_form(app, summary="Tóm tắt tôi vừa gõ", **overrides),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "Tóm tắt tôi vừa gõ" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_meeting_edit_refuses_a_stale_version(app, login_as):
    client = login_as("coordinator")
    meeting_id = _create(client, app)
    assert 'name="version" type="hidden" value="1"' in client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert client.post(f"/meetings/{meeting_id}/edit", data=_form(app, version="1", summary="Bản thứ nhất")).status_code == 303
    response = client.post(f"/meetings/{meeting_id}/edit", data=_form(app, version="1", summary="Bản cũ của tôi"))
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Người khác vừa lưu hồ sơ này trong lúc bạn sửa" in body and "Bản cũ của tôi" in body
    assert "Bản thứ nhất" in body.split("data-conflict", 1)[1].split("</div>", 1)[0]
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).summary == "Bản thứ nhất"
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "meeting.update")) == 1
    assert 'name="version" type="hidden" value="2"' in body  # one more click saves on top
    assert client.post(f"/meetings/{meeting_id}/edit", data=_form(app, version="2", summary="Bản cũ của tôi")).status_code == 303
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).summary == "Bản cũ của tôi"


def test_meeting_list_search_without_diacritics(app, login_as):
    client = login_as("coordinator")
    _create(client, app)
    _create(client, app, title="Buổi làm việc với Sở Xây dựng", kind="lam_viec", held_on="01/10/2025")
    def titles(**query):
        body = client.get("/meetings", query_string=query, htmx=True).get_data(as_text=True)
        assert "<html" not in body
        return {t for t in ("giao ban", "làm việc") if t in body}
    assert titles() == {"giao ban", "làm việc"}
    assert titles(q="lam viec voi so xay dung") == {"làm việc"}
    assert titles(kind="giao_ban") == {"giao ban"}
    assert "<html" in client.get("/meetings").get_data(as_text=True)


def test_meeting_page_lists_only_the_directives_a_unit_sees(app, login_as, make_directive, assign):
    client = login_as("coordinator")
    meeting_id = _create(client, app)
    mine = make_directive(title="Bổ sung biên chế còn thiếu", meeting_id=meeting_id)
    theirs = make_directive(title="Rà soát phân cấp, phân quyền", meeting_id=meeting_id)
    assign(mine, ["Xã Ia Boòng"])
    assign(theirs, ["SNV"])
    everything = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Bổ sung biên chế còn thiếu" in everything and "Rà soát phân cấp, phân quyền" in everything
    commune = login_as("commune_a")
    page = commune.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Bổ sung biên chế còn thiếu" in page and "Rà soát phân cấp, phân quyền" not in page
    assert "Ban hành chỉ đạo từ hội nghị này" not in page
    listing = commune.get("/meetings").get_data(as_text=True)
    assert re.search(r'<td class="num"[^>]*>1</td>', listing)
    # Issuing from the meeting page pre-fills the meeting and the chair.
    form = client.get(f"/directives/new?meeting_id={meeting_id}").get_data(as_text=True)
    assert f'<option selected value="{meeting_id}">' in form or f'value="{meeting_id}" selected' in form
    assert 'value="Lương Văn Trọng"' in form


@pytest.mark.parametrize("role", ["commune_a", "department", "leader"])
def test_only_the_coordinator_records_meetings(login_as, role):
    client = login_as(role)
    assert client.get("/meetings").status_code == 200
    assert client.get("/meetings/new").status_code == 403
    assert client.post("/meetings/new", data={"title": "x"}).status_code == 403


@pytest.mark.parametrize(("role", "expected"), [("commune_b", 200), ("department", 200), ("admin", 404)])
def test_meeting_files_for_business_roles_only(app, login_as, role, expected):
    meeting_id = _create(login_as("coordinator"), app, files=(io.BytesIO(PDF), "bien-ban.pdf"))
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.owner_type == "meeting", Attachment.owner_id == meeting_id))
    assert download_status(login_as(role), f"/files/{file_id}") == expected


def test_unknown_meeting_is_404(login_as):
    assert login_as("leader").get("/meetings/999999").status_code == 404


def test_meeting_page_lists_its_proposals_scoped_to_the_user(app, login_as):
    """The meeting page shows the proposals raised at it, each user seeing only theirs."""
    from sqlalchemy import select

    from app.demo import load_demo
    from app.extensions import db
    from app.models import Meeting

    with app.app_context():
        load_demo()
        db.session.commit()
        meeting_id = db.session.scalar(select(Meeting.id).where(Meeting.title.like("Hội nghị giao ban%")))
    coordinator_page = login_as("coordinator").get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Kiến nghị nêu tại hội nghị" in coordinator_page
    assert "Xã Ia Boòng" in coordinator_page and "Phường Pleiku" in coordinator_page
    commune_page = login_as("commune_b").get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Kiến nghị nêu tại hội nghị" in commune_page
    assert "Xã Ia Boòng" not in commune_page.split("Kiến nghị nêu tại hội nghị")[1].split("Chỉ đạo, kết luận")[0]
