"""The progress round trip: download open assignments, fill offline, upload, preview, confirm."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.directives import services
from app.directives.models import Assignment, AssignmentEvent, ProgressReport
from app.extensions import db
from app.models import AuditEvent, User
from tests.imports.conftest import batch, read, token_of, upload

DOWNLOAD = "/imports/progress/download.xlsx"
UPLOAD = "/imports/progress"
TEXT = "Nội dung báo cáo tiến độ (mới)"
PERCENT = "Tỷ lệ hoàn thành (%)"
COMPLETE = "Đề nghị xác nhận hoàn thành (có/không)"


def fill(data: bytes, changes: dict[int, dict[str, object]], extra_rows: list[list] = ()) -> bytes:
    """Edit a downloaded file as a person would: type into the rows of the given assignment ids."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Tiến độ"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        for heading, value in changes.get(row[0].value, {}).items():
            sheet.cell(row=row[0].row, column=columns[heading], value=value)
    for values in extra_rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ids_in(data: bytes) -> list[int]:
    return [row[0].value for row in read(data)["Tiến độ"].iter_rows(min_row=2)]


def reports_of(app, assignment_id) -> list[tuple[str, int, int]]:
    with app.app_context():
        query = select(ProgressReport).where(ProgressReport.assignment_id == assignment_id).order_by(ProgressReport.id)
        return [(r.text, r.percent, r.author_id) for r in db.session.scalars(query)]


def state_of(app, assignment_id) -> str:
    with app.app_context():
        return db.session.get(Assignment, assignment_id).state


def site_report(app, users, assignment_id, key="commune_a", text="Báo cáo trên trang", percent=40):
    with app.app_context():
        services.add_report(db.session.get(Assignment, assignment_id), db.session.get(User, users[key].id), text, percent)
        db.session.commit()


def test_unit_downloads_its_open_assignments_with_only_three_cells_editable(app, users, as_user, directive_for):
    _d, first = directive_for(["Xã Ia Boòng", "Phường Pleiku", "SXD"], title="Kiện toàn bộ máy")
    _d, second = directive_for(["Xã Ia Boòng"], title="Báo cáo giải ngân", ongoing=True)
    _d, finished = directive_for(["Xã Ia Boòng"], title="Việc đã xong")
    with app.app_context():
        db.session.get(Assignment, finished["Xã Ia Boòng"]).state = "done"
        db.session.commit()
    site_report(app, users, first["Xã Ia Boòng"], percent=40)
    response = as_user("commune_a").get(DOWNLOAD)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = read(response.data)
    sheet = workbook["Tiến độ"]
    assert sorted(ids_in(response.data)) == sorted([first["Xã Ia Boòng"], second["Xã Ia Boòng"]])
    assert sheet.protection.sheet is True
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
    headings = [c.value for c in sheet[1]]
    assert headings[-3:] == [TEXT, PERCENT, COMPLETE]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == first["Xã Ia Boòng"])
    values = {headings[i]: cell for i, cell in enumerate(row)}
    assert values["Chỉ đạo"].value == "Kiện toàn bộ máy" and values["Chỉ đạo"].protection.locked
    assert "40% — Báo cáo trên trang" in values["Báo cáo gần nhất"].value
    assert values[PERCENT].value == 40 and not values[PERCENT].protection.locked
    assert not values[TEXT].protection.locked and values[COMPLETE].value == "không"
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert {"whole", "list"} <= kinds


def test_only_changed_rows_become_reports_and_completion_requests(app, users, as_user, directive_for):
    _d, a = directive_for(["Xã Ia Boòng"], title="Một")
    _d, b = directive_for(["Xã Ia Boòng"], title="Hai")
    _d, c = directive_for(["Xã Ia Boòng"], title="Ba")
    a, b, c = a["Xã Ia Boòng"], b["Xã Ia Boòng"], c["Xã Ia Boòng"]
    client = as_user("commune_a")
    data = client.get(DOWNLOAD).data
    filled = fill(data, {
        a: {TEXT: "Đã bầu bổ sung 2 ủy viên", PERCENT: 60},
        b: {TEXT: "Đã hoàn thành", PERCENT: "100%", COMPLETE: "Có"},
    })
    token = token_of(upload(client, UPLOAD, filled, "Tiến độ tháng 10.xlsx"))
    item = batch(app, token)
    assert item.result["counts"] == {"change": 2, "unchanged": 1} and item.error_count == 0
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Báo cáo 60%" in page and "Đề nghị xác nhận hoàn thành" in page and "Không thay đổi" in page
    assert reports_of(app, a) == []  # nothing before confirming

    response = client.post(f"/imports/batches/{token}/confirm")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 báo cáo tiến độ, 1 đề nghị xác nhận hoàn thành" in page
    author = users["commune_a"].id
    assert reports_of(app, a) == [("Đã bầu bổ sung 2 ủy viên", 60, author)]
    assert reports_of(app, b) == [("Đã hoàn thành", 100, author)]
    assert reports_of(app, c) == []
    assert (state_of(app, a), state_of(app, b), state_of(app, c)) == ("in_progress", "awaiting_confirmation", "in_progress")
    with app.app_context():
        notes = list(db.session.scalars(select(AssignmentEvent.note).where(
            AssignmentEvent.assignment_id == b, AssignmentEvent.kind.in_(("report", "completion_requested")))))
        assert notes == ["100% — Nhập từ tệp “Tiến độ tháng 10.xlsx”, dòng 3", "Nhập từ tệp “Tiến độ tháng 10.xlsx”, dòng 3"]
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.report", AuditEvent.object_id == str(a)))
        assert audit.after["source"].startswith("Nhập từ tệp “Tiến độ tháng 10.xlsx”")
    timeline = client.get(f"/assignments/{b}").get_data(as_text=True)
    assert "Nhập từ tệp “Tiến độ tháng 10.xlsx”, dòng 3" in timeline
    # The same file again is refused; the confirmed batch keeps the answer of a double click.
    assert upload(client, UPLOAD, filled, "Tiến độ tháng 10.xlsx").status_code == 400
    client.post(f"/imports/batches/{token}/confirm")
    assert len(reports_of(app, a)) == 1


def test_row_changed_in_the_site_since_download_is_a_conflict_and_not_applied(app, users, as_user, directive_for):
    _d, a = directive_for(["Xã Ia Boòng"], title="Một")
    _d, b = directive_for(["Xã Ia Boòng"], title="Hai")
    _d, c = directive_for(["Xã Ia Boòng"], title="Ba")
    a, b, c = a["Xã Ia Boòng"], b["Xã Ia Boòng"], c["Xã Ia Boòng"]
    client = as_user("commune_a")
    data = client.get(DOWNLOAD).data
    # Meanwhile, in the site: a report on A (the assignment row itself does not change) and B is suspended.
    site_report(app, users, a, text="Báo cáo gửi trên trang", percent=30)
    with app.app_context():
        services.suspend(db.session.get(Assignment, b), db.session.get(User, users["coordinator"].id), "Chờ hướng dẫn")
        db.session.commit()
    filled = fill(data, {a: {TEXT: "Báo cáo từ tệp", PERCENT: 50}, b: {TEXT: "Tiếp tục", PERCENT: 20},
                         c: {TEXT: "Đã khảo sát", PERCENT: 10}})
    token = token_of(upload(client, UPLOAD, filled))
    assert batch(app, token).result["counts"] == {"conflict": 2, "change": 1}
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Đã thay đổi trên hệ thống" in page and "Nhiệm vụ đã thay đổi trên hệ thống sau khi bạn tải tệp" in page
    client.post(f"/imports/batches/{token}/confirm")
    assert reports_of(app, a) == [("Báo cáo gửi trên trang", 30, users["commune_a"].id)]  # not overwritten
    assert reports_of(app, b) == [] and state_of(app, b) == "suspended"
    assert reports_of(app, c) == [("Đã khảo sát", 10, users["commune_a"].id)]
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Các dòng không được cập nhật" in page and "Đã thay đổi trên hệ thống" in page


def test_a_unit_cannot_update_another_units_assignment(app, users, as_user, directive_for):
    _d, ids = directive_for(["Xã Ia Boòng", "Phường Pleiku"])
    mine, theirs = ids["Xã Ia Boòng"], ids["Phường Pleiku"]
    theirs_file = as_user("commune_b").get(DOWNLOAD).data
    other_revision = read(theirs_file)["Tiến độ"]["B2"].value
    client = as_user("commune_a")
    data = client.get(DOWNLOAD).data
    assert ids_in(data) == [mine]
    forged = fill(data, {mine: {TEXT: "Của xã mình", PERCENT: 20}},
                  extra_rows=[[theirs, other_revision, "", "", "", "", "", "", "Sửa hộ phường", 90, "có"]])
    token = token_of(upload(client, UPLOAD, forged))
    assert batch(app, token).result["counts"] == {"change": 1, "refused": 1}
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert f"Nhiệm vụ mã {theirs} không có trong các nhiệm vụ bạn được cập nhật" in page
    client.post(f"/imports/batches/{token}/confirm")
    assert reports_of(app, theirs) == [] and state_of(app, theirs) == "in_progress"
    assert reports_of(app, mine) == [("Của xã mình", 20, users["commune_a"].id)]
    # A file holding only someone else's rows has nothing to confirm.
    only_theirs = fill(theirs_file, {theirs: {TEXT: "Sửa hộ", PERCENT: 50}})
    token = token_of(upload(client, UPLOAD, only_theirs))
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Xác nhận và lưu" not in page
    client.post(f"/imports/batches/{token}/confirm")
    assert reports_of(app, theirs) == []


def test_coordinator_downloads_for_many_units_and_reports_on_their_behalf(app, users, as_user, directive_for):
    directive_id, ids = directive_for(["Xã Ia Boòng", "Phường Pleiku", "SXD"])
    _other, other_ids = directive_for(["Xã Ia Boòng"], title="Chỉ đạo khác")
    client = as_user("coordinator")
    everything = client.get(DOWNLOAD).data
    assert sorted(ids_in(everything)) == sorted([*ids.values(), *other_ids.values()])
    data = client.get(f"{DOWNLOAD}?directive={directive_id}").data
    assert sorted(ids_in(data)) == sorted(ids.values())
    with app.app_context():
        from app.models import Unit

        pleiku = db.session.scalar(select(Unit.id).where(Unit.name == "Phường Pleiku"))
    assert ids_in(client.get(f"{DOWNLOAD}?unit={pleiku}").data) == [ids["Phường Pleiku"]]
    filled = fill(data, {ids["Phường Pleiku"]: {TEXT: "Theo công văn của phường", PERCENT: 70},
                         ids["SXD"]: {TEXT: "Sở đã trình phương án", PERCENT: 50}})
    token = token_of(upload(client, UPLOAD, filled, "Tổng hợp.xlsx"))
    client.post(f"/imports/batches/{token}/confirm")
    coordinator = users["coordinator"].id
    assert reports_of(app, ids["Phường Pleiku"]) == [("Theo công văn của phường", 70, coordinator)]
    assert reports_of(app, ids["SXD"]) == [("Sở đã trình phương án", 50, coordinator)]
    assert reports_of(app, ids["Xã Ia Boòng"]) == []
    # The unit sees the report in its timeline, with where it came from.
    page = as_user("commune_b").get(f"/assignments/{ids['Phường Pleiku']}").get_data(as_text=True)
    assert "Theo công văn của phường" in page and "Tổng hợp.xlsx" in page


def test_bad_values_block_the_whole_file(app, as_user, directive_for):
    _d, a = directive_for(["Xã Ia Boòng"], title="Một")
    _d, b = directive_for(["Xã Ia Boòng"], title="Hai")
    _d, c = directive_for(["Xã Ia Boòng"], title="Ba", ongoing=True)
    a, b, c = a["Xã Ia Boòng"], b["Xã Ia Boòng"], c["Xã Ia Boòng"]
    client = as_user("commune_a")
    data = client.get(DOWNLOAD).data
    filled = fill(data, {a: {TEXT: "Xong một nửa", PERCENT: 150}, b: {PERCENT: 30, COMPLETE: "có lẽ"},
                         c: {COMPLETE: "có"}})
    token = token_of(upload(client, UPLOAD, filled))
    item = batch(app, token)
    assert item.error_count == 2 and item.result["counts"]["refused"] == 1
    page = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert "Tỷ lệ hoàn thành là số nguyên từ 0 đến 100" in page
    assert "Ghi “có” hoặc “không”." in page
    assert "Nhiệm vụ thường xuyên không có thời hạn: hãy báo cáo định kỳ." in page
    assert "Xác nhận và lưu" not in page
    client.post(f"/imports/batches/{token}/confirm")
    assert reports_of(app, a) == reports_of(app, b) == reports_of(app, c) == []


def test_progress_pages_are_for_units_and_the_coordinator(app, as_user):
    for key in ("commune_a", "department", "coordinator"):
        page = as_user(key).get("/assignments").get_data(as_text=True)
        assert "Cập nhật tiến độ bằng Excel" in page, key
        assert as_user(key).get(UPLOAD).status_code == 200, key
    for key in ("leader", "admin"):
        assert as_user(key).get(UPLOAD).status_code == 403, key
        assert as_user(key).get(DOWNLOAD).status_code == 403, key


def test_rows_saved_before_input_was_cleaned_still_download_and_typed_text_comes_back_clean(
        app, users, as_user, directive_for):
    """A title or report holding control characters (saved before forms cleaned them) broke the
    unit's download; invisible characters and Windows line breaks typed in Excel come back out."""
    _d, ids = directive_for(["Xã Ia Boòng"], title="Kiện toàn\x07 bộ máy\x1b")
    assignment_id = ids["Xã Ia Boòng"]
    site_report(app, users, assignment_id, text="Dòng một\x0bDòng hai\x1f", percent=40)
    client = as_user("commune_a")
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    sheet = read(response.data)["Tiến độ"]
    headings = [c.value for c in sheet[1]]
    row = {headings[i]: cell.value for i, cell in enumerate(next(sheet.iter_rows(min_row=2)))}
    assert row["Chỉ đạo"] == "Kiện toàn bộ máy"
    assert row["Báo cáo gần nhất"].endswith("40% — Dòng mộtDòng hai")

    filled = fill(response.data, {assignment_id: {TEXT: "Đã\u200b họp\u202e triển khai\r\nxong bước 1", PERCENT: 60}})
    token = token_of(upload(client, UPLOAD, filled))
    client.post(f"/imports/batches/{token}/confirm")
    assert reports_of(app, assignment_id)[-1] == ("Đã họp triển khai\nxong bước 1", 60, users["commune_a"].id)
