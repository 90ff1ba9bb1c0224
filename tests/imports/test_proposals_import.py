"""Importing proposals from a real .xlsx: template, clean file, every error, duplicates, roles."""

from datetime import date

from sqlalchemy import func, select

from app import deadlines
from app.extensions import db
from app.models import AuditEvent, Meeting, Unit
from app.proposals.models import Proposal, ProposalEvent
from tests.conftest import lock_free_probe
from tests.imports.conftest import (
    PROPOSAL_HEADERS,
    batch,
    in_days,
    read,
    today,
    token_of,
    upload,
    xlsx,
)

URL = "/imports/proposals"


def _meeting(app, users, title="Hội nghị giao ban tháng 9/2025", held_on=date(2025, 9, 24)) -> int:
    with app.app_context():
        meeting = Meeting(title=title, held_on=held_on, chair_name="Lương Văn Trọng", chair_title="Bí thư Tỉnh ủy",
                          created_by_id=users["coordinator"].id)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def _proposals(app) -> list[Proposal]:
    with app.app_context():
        items = list(db.session.scalars(select(Proposal).order_by(Proposal.id)))
        for p in items:
            _ = p.commune, p.lead_unit, p.support_units, p.field, p.meeting, p.events
        db.session.expunge_all()
        return items


CLEAN_ROWS = [
    ["ia boong", "Xây trụ sở UBND xã", "Trụ sở xuống cấp, cần xây mới.", "Trụ sở làm việc", 5_000_000_000,
     "Thôn 1", "24/09/2025", None, None, None],
    ["Phường PLEIKU", "Nâng cấp đường Trần Phú", "Mặt đường hư hỏng nặng.", "giao thong", "1.500.000.000",
     "", "Hội nghị giao ban tháng 9/2025", "Sở Xây dựng", "Sở Tài chính; SNV", in_days(20)],
    ["Xã Ia Boòng", "Bổ sung biên chế", "Thiếu 3 công chức địa chính.", "Biên chế, tổ chức bộ máy", None,
     None, None, "SNV", None, None],
]


def test_template_lists_valid_values_and_validates(app, as_user):
    response = as_user("coordinator").get(f"{URL}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = read(response.data)
    assert workbook.sheetnames == ["Kiến nghị", "Danh mục", "Hướng dẫn"]
    sheet = workbook["Kiến nghị"]
    assert [c.value for c in sheet[1]] == PROPOSAL_HEADERS
    lists = workbook["Danh mục"]
    communes = [c.value for c in lists["A"][1:] if c.value]
    assert len(communes) == 135 and "Xã Ia Boòng" in communes
    assert "Giao thông" in [c.value for c in lists["B"][1:]]
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert any("Danh mục" in f and "$B$2" in f for f in formulas)  # the field column's drop-down
    guide = workbook["Hướng dẫn"]
    texts = [c.value for row in guide.iter_rows() for c in row if c.value]
    assert "Xã Ia Boòng" in texts and "Đầu tư đường giao thông liên thôn" in texts  # the example row


def test_clean_file_previews_then_saves_all_rows_with_timeline_and_audit(app, users, as_user):
    meeting_id = _meeting(app, users)
    client = as_user("coordinator")
    response = upload(client, URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS), "Danh sách kiến nghị.xlsx")
    token = token_of(response)
    assert _proposals(app) == []  # nothing saved before confirming
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Xác nhận và lưu" in page and "3 dòng dữ liệu" in page
    assert "Xã Ia Boòng" in page and "1.500.000.000 ₫" in page  # names and amounts as understood

    response = client.post(f"/imports/batches/{token}/confirm")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 3 kiến nghị từ tệp “Danh sách kiến nghị.xlsx” (2 kiến nghị đã chuyển xử lý)." in page

    first, second, third = _proposals(app)
    assert first.commune.name == "Xã Ia Boòng" and first.state == "submitted" and first.received_at is not None
    assert first.requested_amount == 5_000_000_000 and first.meeting_id == meeting_id and first.location == "Thôn 1"
    assert second.commune.name == "Phường Pleiku" and second.state == "assigned"
    assert second.lead_unit.code == "SXD" and {u.code for u in second.support_units} == {"STC", "SNV"}
    assert second.answer_deadline == in_days(20) and second.field.name == "Giao thông"
    # No deadline in the file: the field's default (else the 30-day setting) applies, counted
    # in calendar days and moved to the next working day when it falls on a day off.
    default = deadlines.deadline_from(today(), 30, deadlines.CALENDAR)
    assert third.state == "assigned" and third.lead_unit.code == "SNV" and third.answer_deadline == default
    assert third.requested_amount is None
    assert first.author_id == users["coordinator"].id
    notes = [e.note for e in first.events]
    assert [e.action for e in first.events] == ["import"]
    assert notes == ["Nhập từ tệp “Danh sách kiến nghị.xlsx”, dòng 2"]
    assert [e.action for e in second.events] == ["import", "assign"]
    assert "Nhập từ tệp “Danh sách kiến nghị.xlsx”, dòng 3" in second.events[1].note
    with app.app_context():
        imported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.import")).all()
        assert len(imported) == 3 and imported[0].after["source"] == "Nhập từ tệp “Danh sách kiến nghị.xlsx”, dòng 2"
        confirm = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.confirm"))
        assert confirm.after["file"] == "Danh sách kiến nghị.xlsx" and confirm.after["created"] == 3
    # The commune sees its imported proposal, with the timeline entry naming the file.
    commune_page = as_user("commune_a").get(f"/proposals/{first.id}").get_data(as_text=True)
    assert "Nhập từ tệp Excel" in commune_page and "Danh sách kiến nghị.xlsx" in commune_page


def test_header_row_may_sit_under_a_title_and_sheet_name_is_free(app, as_user):
    client = as_user("coordinator")
    data = xlsx(PROPOSAL_HEADERS[:4], [r[:4] for r in CLEAN_ROWS], title="Sheet1", header_row=3)
    token = token_of(upload(client, URL, data))
    assert batch(app, token).row_count == 3 and batch(app, token).error_count == 0


ERROR_ROWS = [
    # row 2: unknown commune (with suggestions), missing title
    ["Ia Boong Moi", "", "Nội dung", "Giao thông", None, None, None, None, None, None],
    # row 3: old pre-2025 commune name, unknown field, bad amount
    ["Thị trấn Kbang", "Đường", "Nội dung", "Cầu cống", "một tỷ", None, None, None, None, None],
    # row 4: old district name, missing content, bad date, meeting that does not exist
    ["Huyện Đak Đoa", "Trường học", "", "Giáo dục (trường học)", None, None, "Hội nghị không có", "SXD", None, "31/02/2026"],
    # row 5: a department where a commune is wanted, lead that is a commune, deadline in the past
    ["Sở Xây dựng", "Trạm y tế", "Nội dung", "Y tế (trạm y tế)", -5, None, "01/01/2020", "Xã Ia Boòng", None, "01/01/2020"],
    # row 6: supports without lead, deadline without lead
    ["Xã Ia Boòng", "Nhà văn hóa", "Nội dung", "Văn hóa (nhà văn hóa thôn, làng)", None, None, None, None, "SNV", in_days(5)],
    # row 7: a clean row that must not be saved either
    ["Xã Ia Boòng", "Đường liên thôn", "Nội dung", "Giao thông", None, None, None, None, None, None],
    # row 8: the same as row 7
    ["ia boong", "Đường liên thôn", "Nội dung khác", "Giao thông", None, None, None, None, None, None],
]


def test_file_with_every_kind_of_error_saves_nothing_and_names_each_cell(app, as_user):
    client = as_user("coordinator")
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS, ERROR_ROWS)))
    item = batch(app, token)
    assert item.error_count == 6 and item.row_count == 7  # row 7 is clean, yet nothing is saved
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Xác nhận và lưu" not in page
    expected = {
        "A2": "Không có xã, phường “Ia Boong Moi” trong tỉnh. Tên gần giống trong danh mục: Xã Ia Boòng",
        "B2": "Thiếu tiêu đề.",
        "A3": "“Thị trấn Kbang” là tên cũ trước 01/07/2025; đơn vị hiện nay là xã Kbang.",
        "D3": "Không có lĩnh vực “Cầu cống”.",
        "E3": "Số tiền “một tỷ” không hợp lệ",
        "A4": "“Huyện Đak Đoa” là tên huyện, thị xã, thành phố cũ trước 01/07/2025",
        "C4": "Thiếu nội dung.",
        "G4": "Không có hội nghị “Hội nghị không có”.",
        "J4": "Ngày “31/02/2026” không hợp lệ",
        "A5": "“Sở Xây dựng” là cơ quan cấp tỉnh, không phải xã, phường.",
        "E5": "Số tiền không được âm.",
        "G5": "Không có hội nghị nào ngày 01/01/2020.",
        "H5": "“Xã Ia Boòng” là xã, phường, không phải cơ quan cấp tỉnh.",
        "J5": "Hạn trả lời không được trước ngày hôm nay.",
        "I6": "Có đơn vị phối hợp thì phải ghi đơn vị chủ trì.",
        "J6": "Có hạn trả lời thì phải ghi đơn vị chủ trì.",
        "B8": "Trùng với dòng 7 (cùng xã, cùng tiêu đề, cùng hội nghị).",
    }
    for cell, message in expected.items():
        assert f"<strong>{cell}</strong>: {message}" in page, cell
    # Nothing can be confirmed, even by posting to the URL.
    response = client.post(f"/imports/batches/{token}/confirm")
    assert response.status_code == 303
    assert "Tệp còn lỗi" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _proposals(app) == []


def test_old_district_and_town_names_suggest_the_communes_that_took_them_over(app, as_user):
    client = as_user("coordinator")
    rows = [["Huyện Đak Đoa", "Đường", "Nội dung", "Giao thông"], ["Thị xã An Khê", "Chợ", "Nội dung", "Giao thông"]]
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS[:4], rows)))
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert ("<strong>A2</strong>: “Huyện Đak Đoa” là tên huyện, thị xã, thành phố cũ trước 01/07/2025 (cấp huyện "
            "không còn). Địa bàn này nay thuộc các xã, phường: Xã Biển Hồ; Xã Đak Đoa; Xã Đak Sơmei; Xã Ia Băng; "
            "Xã KDang; Xã Kon Gang; Xã Mang Yang. Hãy ghi tên một xã, phường trong số đó.") in page
    assert ("<strong>A3</strong>: “Thị xã An Khê” là tên huyện, thị xã, thành phố cũ trước 01/07/2025 (cấp huyện "
            "không còn). Địa bàn này nay thuộc các xã, phường: Phường An Bình; Phường An Khê; Xã Cửu An.") in page


def test_old_commune_split_between_new_ones_lists_them(app, as_user):
    client = as_user("coordinator")
    rows = [["Xã An Nghĩa", "Đường", "Nội dung", "Giao thông"]]
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS[:4], rows)))
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "“Xã An Nghĩa” là tên cũ trước 01/07/2025; đơn vị hiện nay là một trong: Xã An Hòa; Xã An Toàn." in page


def test_same_file_twice_is_refused_and_double_confirm_saves_once(app, as_user):
    client = as_user("coordinator")
    data = xlsx(PROPOSAL_HEADERS, CLEAN_ROWS[2:])
    token = token_of(upload(client, URL, data))
    second_preview = token_of(upload(client, URL, data))  # uploaded again before confirming
    assert client.post(f"/imports/batches/{token}/confirm").status_code == 303
    assert client.post(f"/imports/batches/{token}/confirm").status_code == 303  # double click
    assert len(_proposals(app)) == 1
    # The other preview of the same content cannot be confirmed any more.
    response = client.post(f"/imports/batches/{second_preview}/confirm")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp này đã được nhập lúc" in page and "không nhập lại để tránh trùng lặp" in page
    # And uploading it a third time is refused at once.
    response = upload(client, URL, data)
    assert response.status_code == 400
    assert "Tệp này đã được nhập lúc" in response.get_data(as_text=True)
    # The same rows saved again by Excel (another fingerprint) are caught row by row.
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS[2:], title="Lưu lại")))
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Đã có kiến nghị cùng tiêu đề của xã Ia Boòng" in page
    assert len(_proposals(app)) == 1


def test_only_the_coordinator_imports_proposals(app, as_user):
    data = xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)
    for key in ("commune_a", "department", "leader", "admin"):
        client = as_user(key)
        assert client.get(URL).status_code == 403, key
        assert upload(client, URL, data).status_code == 403, key
        assert client.get(f"{URL}/template.xlsx").status_code == 403, key
    assert _proposals(app) == []


def test_preview_belongs_to_its_uploader(app, as_user):
    token = token_of(upload(as_user("coordinator"), URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)))
    with app.app_context():
        # Another coordinator account of the same office.
        from app.admin import services as accounts

        accounts.create_user("vanphong2", "coordinator", db.session.scalar(select(Unit).where(Unit.code == "TU-VP")),
                             password="Mat-khau-thu-nghiem-1", full_name="Người khác", must_change=False)
        db.session.commit()
    other = as_user("vanphong2")
    assert other.get(f"/imports/batches/{token}").status_code == 404
    assert other.post(f"/imports/batches/{token}/confirm").status_code == 404
    assert _proposals(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalEvent)) == 0


def test_confirm_checks_again_and_saves_nothing_when_the_site_changed(app, users, as_user):
    from app.models import Field

    _meeting(app, users)
    client = as_user("coordinator")
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)))
    assert batch(app, token).error_count == 0
    with app.app_context():  # the admin retires a field between the preview and the confirmation
        db.session.scalar(select(Field).where(Field.name == "Trụ sở làm việc")).active = False
        db.session.commit()
    response = client.post(f"/imports/batches/{token}/confirm")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dữ liệu trên hệ thống đã thay đổi từ lúc xem trước: 1 dòng nay có lỗi. Chưa lưu gì" in page
    assert "<strong>D2</strong>: Không có lĩnh vực “Trụ sở làm việc”." in page
    assert "Xác nhận và lưu" not in page
    assert _proposals(app) == []
    assert batch(app, token).error_count == 1


def test_discarding_a_preview_keeps_nothing(app, as_user):
    client = as_user("coordinator")
    token = token_of(upload(client, URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)))
    response = client.post(f"/imports/batches/{token}/discard")
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    assert client.get(f"/imports/batches/{token}").status_code == 404
    assert _proposals(app) == []


def test_lists_link_to_the_import_for_the_coordinator_only(as_user):
    for path in ("/proposals/", "/proposals/inbox", "/directives"):
        assert "Nhập từ Excel" in as_user("coordinator").get(path).get_data(as_text=True), path
    assert "Nhập từ Excel" not in as_user("commune_a").get("/proposals/").get_data(as_text=True)
    assert "Nhập từ Excel" not in as_user("leader").get("/directives").get_data(as_text=True)


def test_reading_an_uploaded_file_leaves_the_write_lock_to_others(app, sqlite_path, as_user, monkeypatch):
    """Reading and checking a big file takes seconds: meanwhile everyone else keeps writing.
    The preview is still saved, with its rows."""
    from app.imports import sheets

    seen, probe = lock_free_probe(sqlite_path)
    read_rows = sheets.read_rows

    def read_and_probe(*args, **kwargs):
        probe()
        return read_rows(*args, **kwargs)

    monkeypatch.setattr(sheets, "read_rows", read_and_probe)
    token = token_of(upload(as_user("coordinator"), URL, xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)))

    assert seen == [True]
    assert batch(app, token).row_count == 3
