"""The coordinator's way from a conclusion notice to issued directives: paste or upload, the
preview, corrections in place (htmx), issuing all in one transaction."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock, deadlines
from app.directives import workflow
from app.directives.models import Assignment, Directive
from app.extensions import db
from app.models import Attachment, AuditEvent, Meeting, Unit
from tests.directives.conftest import download_status, unit_id

NOTICE = """TỈNH ỦY GIA LAI
Số 501-TB/TU
Gia Lai, ngày 05 tháng 01 năm 2027
THÔNG BÁO KẾT LUẬN
1. Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ tham mưu bổ sung biên chế còn thiếu; hoàn thành trước ngày 30/03/2027.
2. UBND các xã, phường quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội; thực hiện thường xuyên, báo cáo hằng quý.
3. UBND xã Ia Grai và phường Pleiku hoàn thiện hồ sơ sửa chữa trụ sở làm việc; gửi Sở Xây dựng trong 10 ngày làm việc.
4. Sở Kế hoạch và Đầu tư tổng hợp nhu cầu vốn; hoàn thành trong quý II/2027.
Văn phòng Tỉnh ủy thông báo để các cơ quan, đơn vị biết, thực hiện./.
"""


@pytest.fixture
def meeting_id(app, users):
    with app.app_context():
        meeting = Meeting(title="Hội nghị giao ban quý I/2027", held_on=date(2027, 1, 4), kind="giao_ban",
                          chair_name="Lương Văn Trọng", chair_title="Bí thư Tỉnh ủy",
                          issuing_unit_id=unit_id("TU-VP"))
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def _fields(page: str) -> dict:
    """The preview form's values as a browser would send them (checked boxes, selected options)."""
    data = {}
    for match in re.finditer(r'<input([^>]*)>', page):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        name = attrs.get("name")
        if not name or name == "csrf_token" or attrs.get("type") == "file":
            continue
        if attrs.get("type") == "checkbox" and " checked" not in match.group(1):
            continue
        data[name] = _unescape(attrs.get("value", ""))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[match.group(1)] = _unescape(match.group(2).lstrip("\r\n"))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        options = re.findall(r"<option([^>]*)>", match.group(2))
        chosen = [o for o in options if re.search(r"\bselected\b", o)] or options[:1]
        value = re.search(r'value="([^"]*)"', chosen[0]) if chosen else None
        data[match.group(1)] = _unescape(value.group(1)) if value else ""
    return data


def _unescape(value: str) -> str:
    return value.replace("&amp;", "&").replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'") \
        .replace("&lt;", "<").replace("&gt;", ">")


def _paste(client, meeting_id, text=NOTICE):
    return client.post(f"/meetings/{meeting_id}/notice", data={"text": text})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_pasted_notice_is_previewed_with_what_was_recognised_and_nothing_is_issued(app, login_as, meeting_id):
    client = login_as("coordinator")
    assert "Ban hành từ thông báo kết luận" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    response = _paste(client, meeting_id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Xem trước: 4 mục kết luận" in page
    assert '<mark class="hl-lead">Ban Tổ chức Tỉnh ủy</mark>' in page
    assert '<mark class="hl-support">Sở Nội vụ</mark>' in page
    assert '<mark class="hl-deadline">trước ngày 30/03/2027</mark>' in page
    assert '<mark class="hl-mentioned">Sở Xây dựng</mark>' in page
    assert '<mark class="hl-unknown">Sở Kế hoạch và Đầu tư</mark>' in page
    assert "Tất cả 135 xã, phường" in page
    assert "Chưa xác định được đơn vị chủ trì" in page  # item 4
    fields = _fields(page)
    assert fields["items-0-deadline"] == "30/03/2027"
    assert fields["items-1-timing"] == "ongoing" and fields["items-1-reporting_period"] == "quarterly"
    # "10 ngày làm việc" is counted from today in working days, as the directive form counts
    expected = deadlines.deadline_from(clock.today(), 10, deadlines.WORKING)
    assert fields["items-2-deadline"] == expected.strftime("%d/%m/%Y")
    assert fields["items-3-deadline"] == "30/06/2027"
    with app.app_context():
        assert _count(Directive) == 0


def test_issue_all_in_one_go_with_units_roles_deadlines_and_item_numbers(app, login_as, meeting_id):
    client = login_as("coordinator")
    fields = _fields(_paste(client, meeting_id).get_data(as_text=True))
    fields.pop("items-3-include")  # item 4 names no unit of the catalogue: left out
    response = client.post(f"/meetings/{meeting_id}/notice/issue", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"].endswith(f"/meetings/{meeting_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ban hành 3 chỉ đạo từ thông báo kết luận." in page
    assert "<small>Mục 2</small>" in page  # the meeting lists each directive with its item
    with app.app_context():
        directives = list(db.session.scalars(select(Directive).order_by(Directive.id)))
        assert [d.notice_item for d in directives] == ["1", "2", "3"]
        assert all(d.meeting_id == meeting_id and d.notice_attachment_id is None for d in directives)
        first, second, third = directives
        assert first.deadline == date(2027, 3, 30) and first.issued_by_name == "Lương Văn Trọng"
        assert first.field.name == "Biên chế, tổ chức bộ máy"
        roles = {a.unit.code: a.role for a in db.session.scalars(select(Assignment).where(Assignment.directive_id == first.id))}
        assert roles == {"TU-BTC": workflow.LEAD, "SNV": workflow.SUPPORT}
        assert second.is_ongoing and second.reporting_period == "quarterly"
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.kind.in_(("xa", "phuong", "dac_khu")), Unit.active.is_(True)))
        assert db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.directive_id == second.id)) == communes
        assert {a.unit.name for a in db.session.scalars(select(Assignment).where(Assignment.directive_id == third.id))} == {"Xã Ia Grai", "Phường Pleiku"}
        assert third.deadline == deadlines.deadline_from(clock.today(), 10, deadlines.WORKING)
        assert db.session.scalar(select(AuditEvent.after).where(AuditEvent.action == "meeting.notice_issue"))["directive_ids"] == [d.id for d in directives]
        created = list(db.session.scalars(select(AuditEvent.after).where(AuditEvent.action == "directive.create")))
        assert created[0]["source"] == "Thông báo kết luận nội dung dán vào, mục 1"
    # the same pasted items sent again (a second click) add nothing
    again = client.post(f"/meetings/{meeting_id}/notice/issue", data=fields)
    assert again.status_code == 409 and "không ban hành lại" in again.get_data(as_text=True)
    with app.app_context():
        assert _count(Directive) == 3


def test_an_incomplete_item_sends_the_whole_preview_back_and_issues_nothing(app, login_as, meeting_id):
    client = login_as("coordinator")
    fields = _fields(_paste(client, meeting_id).get_data(as_text=True))
    fields["items-0-title"] = "Trích yếu tôi vừa sửa"
    fields["items-0-field_id"] = ""
    response = client.post(f"/meetings/{meeting_id}/notice/issue", data=fields)  # item 4 has no lead
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Chọn ít nhất một đơn vị chủ trì." in page and "Chọn lĩnh vực." in page
    assert 'value="Trích yếu tôi vừa sửa"' in page
    with app.app_context():
        assert _count(Directive) == 0 and _count(Assignment) == 0


def test_corrections_in_place_add_and_remove_units_by_name(app, login_as, meeting_id):
    client = login_as("coordinator")
    fields = _fields(_paste(client, meeting_id).get_data(as_text=True))
    row = {k: v for k, v in fields.items() if k.startswith("items-3-")}
    url = f"/meetings/{meeting_id}/notice/row?index=3"
    response = client.post(url, data={**row, "op": "add", "items-3-add_unit": "Sở Tài chính", "items-3-add_role": "lead"},
                           htmx=True)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.startswith('<article id="notice-item-3"') or 'id="notice-item-3"' in fragment[:200]
    assert "<html" not in fragment and "Sở Tài chính" in fragment and "Chưa xác định được đơn vị chủ trì" not in fragment
    with app.app_context():
        finance = unit_id("STC")
    assert f'name="items-3-lead" type="hidden" value="{finance}"' in fragment
    # a short form and a commune's name work as in the notice
    row = _fields(fragment)
    response = client.post(url, data={**row, "op": "add", "items-3-add_unit": "sở nn&mt", "items-3-add_role": "support"},
                           htmx=True)
    assert "Sở Nông nghiệp và Môi trường" in response.get_data(as_text=True)
    row = _fields(response.get_data(as_text=True))
    response = client.post(url, data={**row, "op": f"remove-lead-{finance}"}, htmx=True)
    assert "Sở Tài chính" not in response.get_data(as_text=True).split("Chủ trì:")[1].split("Phối hợp:")[0]
    # a name that points nowhere: a message, the row as it was
    row = _fields(response.get_data(as_text=True))
    response = client.post(url, data={**row, "op": "add", "items-3-add_unit": "Sở Không Có"}, htmx=True)
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị “Sở Không Có” trong danh mục." in response.get_data(as_text=True)


def test_the_text_corrected_can_be_read_again(app, login_as, meeting_id):
    client = login_as("coordinator")
    fields = _fields(_paste(client, meeting_id).get_data(as_text=True))
    row = {k: v for k, v in fields.items() if k.startswith("items-3-")}
    row["items-3-content"] = "Sở Tài chính tổng hợp nhu cầu vốn; hoàn thành trong quý II/2027."
    response = client.post(f"/meetings/{meeting_id}/notice/row?index=3", data={**row, "op": "reparse"}, htmx=True)
    fragment = response.get_data(as_text=True)
    assert '<mark class="hl-lead">Sở Tài chính</mark>' in fragment
    with app.app_context():
        assert f'value="{unit_id("STC")}"' in fragment


def _docx(paragraphs) -> bytes:
    from docx import Document

    document = Document()
    for text, numbered in paragraphs:
        document.add_paragraph(text, style="List Number" if numbered else None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_notice_with_automatic_numbering_is_kept_with_the_meeting_and_linked(app, login_as, meeting_id):
    client = login_as("coordinator")
    data = _docx([
        ("THÔNG BÁO KẾT LUẬN", False),
        ("Sở Y tế chủ trì, phối hợp với Sở Tài chính đề xuất danh mục trạm y tế cần nâng cấp; hoàn thành trong tháng 5/2027.", True),
        ("Giao Sở Xây dựng hướng dẫn các xã, phường sửa chữa trụ sở làm việc; hoàn thành trước ngày 30/06/2027.", True),
    ])
    response = client.post(f"/meetings/{meeting_id}/notice", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "TB 501-TB-TU.docx"), "text": ""})
    assert response.status_code == 303
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert "Xem trước: 2 mục kết luận" in page and "TB 501-TB-TU.docx" in page
    fields = _fields(page)
    assert fields["items-0-deadline"] == "31/05/2027" and fields["items-1-deadline"] == "30/06/2027"
    assert client.post(f"/meetings/{meeting_id}/notice/issue", data=fields).status_code == 303
    with app.app_context():
        attachment = db.session.scalar(select(Attachment).where(Attachment.owner_type == "meeting"))
        assert attachment.original_name == "TB 501-TB-TU.docx" and attachment.owner_id == meeting_id
        directive = db.session.scalar(select(Directive).where(Directive.notice_item == "2"))
        assert directive.notice_attachment_id == attachment.id
        assert {a.unit.code for a in db.session.scalars(select(Assignment).where(Assignment.directive_id == directive.id))} == {"SXD"}
    # the assigned unit sees where its task came from and can open the notice
    department = login_as("department")
    detail = department.get(f"/directives/{directive.id}").get_data(as_text=True)
    assert "Theo thông báo kết luận của hội nghị, mục 2" in detail
    assert download_status(department, f"/files/{attachment.id}") == 200
    # issuing the same notice again is refused: nothing doubles
    again = client.post(f"/meetings/{meeting_id}/notice/issue", data=fields)
    assert again.status_code == 409
    assert "không ban hành lại" in again.get_data(as_text=True)
    with app.app_context():
        assert _count(Directive) == 2


def test_a_pdf_notice_is_read_from_its_text_layer(app, login_as, meeting_id):
    from weasyprint import HTML

    html = "<p>THÔNG BÁO KẾT LUẬN</p>" + "".join(
        f"<p>{line}</p>" for line in NOTICE.splitlines()[4:8]
    )
    data = HTML(string=f"<html><body style='width: 12cm'>{html}</body></html>").write_pdf()
    client = login_as("coordinator")
    response = client.post(f"/meetings/{meeting_id}/notice", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "thong-bao.pdf"), "text": ""})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Xem trước: 4 mục kết luận" in page
    assert '<mark class="hl-lead">Ban Tổ chức Tỉnh ủy</mark>' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "scan.pdf"), "Tệp PDF bị hỏng"),
        ((b"PK\x03\x04 not a zip", "tb.docx"), "không đúng định dạng"),
        ((b"hello", "tb.txt"), "Chỉ nhận tệp"),
    ],
)
def test_an_unreadable_file_gets_a_message_next_to_the_field(app, login_as, meeting_id, upload, message):
    client = login_as("coordinator")
    response = client.post(f"/meetings/{meeting_id}/notice", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(upload[0]), upload[1]), "text": ""})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _count(Attachment) == 0


def test_empty_or_itemless_input_is_refused_with_the_text_kept(app, login_as, meeting_id):
    client = login_as("coordinator")
    response = _paste(client, meeting_id, "")
    assert response.status_code == 400 and "Chọn tệp thông báo hoặc dán nội dung thông báo." in response.get_data(as_text=True)
    response = _paste(client, meeting_id, "Một đoạn văn không đánh số mục nào cả, dài hơn bốn mươi ký tự.")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Không tìm thấy mục kết luận nào" in page and "Một đoạn văn không đánh số" in page


def test_only_the_coordinator_reads_notices_and_an_unknown_meeting_is_404(app, login_as, meeting_id):
    assert login_as("leader").get(f"/meetings/{meeting_id}/notice").status_code == 403
    assert login_as("department").post(f"/meetings/{meeting_id}/notice/issue", data={"count": "1"}).status_code == 403
    assert login_as("coordinator").get("/meetings/999999/notice").status_code == 404
