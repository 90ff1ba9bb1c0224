"""Files that are not what they claim, and a big one: clear messages, 4xx, never a 500."""

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.imports.models import ImportBatch
from app.proposals.models import Proposal
from tests.imports.conftest import PROPOSAL_HEADERS, token_of, upload, xlsx

URL = "/imports/proposals"


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip_with(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = [
    ("ghi-chu.txt", b"Danh sach kien nghi", "không phải bảng tính Excel (.xlsx)"),
    ("bien-ban.pdf", b"%PDF-1.4\n%%EOF", "không phải bảng tính Excel (.xlsx)"),
    ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Tệp .xls (Excel 97-2003) chưa được hỗ trợ"),
    ("trang-web.xlsx", "<html><body><table><tr><td>Xã Ia Boòng</td></tr></table></body></html>".encode(),
     "thực chất là trang web (HTML)"),
    ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "không đúng định dạng XLSX"),
    ("zip.xlsx", _zip_with({"readme.txt": b"hello"}), "không đúng định dạng XLSX"),
    ("hong.xlsx", _zip_with({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"not xml"}), "Không đọc được tệp Excel"),
    ("rong.xlsx", _empty_workbook(), "Tệp không có dữ liệu"),
    ("khong-tieu-de.xlsx", xlsx(["Cột 1", "Cột 2"], [["a", "b"]]), "Không tìm thấy dòng tiêu đề cột"),
    ("thieu-cot.xlsx", xlsx(["Xã, phường", "Tiêu đề"], [["Xã Ia Boòng", "Đường"]]), "thiếu cột: Nội dung; Lĩnh vực"),
    ("chi-tieu-de.xlsx", xlsx(PROPOSAL_HEADERS, []), "không có dòng dữ liệu nào dưới dòng tiêu đề"),
    ("", b"", "Chọn tệp Excel (.xlsx) để tải lên."),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[f[0] or "no-file" for f in BAD_FILES])
def test_bad_file_gets_a_clear_message_and_nothing_is_kept(app, as_user, name, content, message):
    client = as_user("coordinator")
    if name:
        response = upload(client, URL, content, name)
    else:
        response = client.post(URL, data={}, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert "Traceback" not in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_progress_upload_of_a_foreign_spreadsheet_says_which_columns_are_missing(as_user):
    response = upload(as_user("commune_a"), "/imports/progress", xlsx(PROPOSAL_HEADERS, [["Xã Ia Boòng"]]), "x.xlsx")
    assert response.status_code == 400
    assert "Không tìm thấy dòng tiêu đề cột (Mã nhiệm vụ (không sửa); Phiên bản (không sửa)" in response.get_data(as_text=True)


def test_more_rows_than_the_limit_is_refused(app, as_user):
    app.config["IMPORT_MAX_ROWS"] = 10
    rows = [["Xã Ia Boòng", f"Kiến nghị {n}", "Nội dung", "Giao thông"] for n in range(11)]
    response = upload(as_user("coordinator"), URL, xlsx(PROPOSAL_HEADERS[:4], rows))
    assert response.status_code == 400
    assert "Tệp có hơn 10 dòng dữ liệu" in response.get_data(as_text=True)


def test_five_thousand_rows_complete_and_the_preview_paginates(app, as_user, capsys):
    communes = ["Xã Ia Boòng", "phường pleiku", "ia krel", "Xã Ia Grai"]
    rows = [
        [communes[n % 4], f"Kiến nghị số {n}", f"Nội dung kiến nghị số {n}", "Giao thông", 1_000_000 * (n + 1),
         f"Thôn {n % 20}", None, "SXD" if n % 2 else None, None, None]
        for n in range(5000)
    ]
    rows[4321][0] = "Xã Không Có"  # one bad row among 5,000
    data = xlsx(PROPOSAL_HEADERS, rows)
    client = as_user("coordinator")
    started = time.perf_counter()
    response = upload(client, URL, data, "5000-dong.xlsx")
    elapsed = time.perf_counter() - started
    token = token_of(response)
    with app.app_context():
        item = db.session.scalar(select(ImportBatch).where(ImportBatch.token == token))
        assert item.row_count == 5000 and item.error_count == 1
        parse_ms = item.parse_ms
    with capsys.disabled():
        print(f"\n5,000-row proposals file: read and checked in {parse_ms} ms; whole upload request {elapsed:.2f} s")

    first = client.get(f"/imports/batches/{token}").get_data(as_text=True)
    assert first.count('class="import-row') == 50
    assert "Trang 1 / 100" in first and "Kiến nghị số 0" in first and "Kiến nghị số 50" not in first
    last = client.get(f"/imports/batches/{token}?page=100", headers={"HX-Request": "true"})
    fragment = last.get_data(as_text=True)
    assert last.status_code == 200 and "<html" not in fragment
    assert "Kiến nghị số 4999" in fragment and "Trang 100 / 100" in fragment
    problems = client.get(f"/imports/batches/{token}?only=problems").get_data(as_text=True)
    assert problems.count('class="import-row') == 1
    assert "<strong>A4323</strong>: Không có xã, phường “Xã Không Có” trong tỉnh." in problems


# --- files that describe far more rows than they hold data -------------------------------------

PROGRESS = "/imports/progress"
TOO_BIG = "Tệp Excel quá lớn để đọc"


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first worksheet's XML passed through change(xml) -> xml."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return buffer.getvalue()


def _progress_file(client, directive_for) -> bytes:
    directive_for(["Xã Ia Boòng"], title="Kiện toàn bộ máy")
    data = client.get("/imports/progress/download.xlsx").data
    assert b'<row r="2">' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")  # its one task
    return data


def _claiming(last: int, xml: str) -> str:
    """xml whose <dimension> says the sheet runs to row last (openpyxl reads no row beyond it)."""
    return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:K{last}"/>', xml)


def _blank_rows(first: int, count: int):
    rows = "".join(f'<row r="{n}"/>' for n in range(first, first + count))
    return lambda xml: _claiming(first + count - 1, xml).replace("</sheetData>", rows + "</sheetData>")


def _one_row_at(number: int):
    row = f'<row r="{number}"><c r="I{number}" t="inlineStr"><is><t>Báo cáo lạc</t></is></c></row>'
    return lambda xml: _claiming(number, xml).replace("</sheetData>", row + "</sheetData>")


@pytest.mark.parametrize("change", [_blank_rows(3, 200_000), _one_row_at(3_000_000)], ids=["blank-rows", "far-row"])
def test_a_sheet_running_far_beyond_its_data_is_refused_with_a_clear_message(app, as_user, directive_for, change):
    """Blank rows never count against the 10,000 data rows; the work of reading them did not stop."""
    client = as_user("commune_a")
    data = _rewrite_sheet(_progress_file(client, directive_for), change)
    response = upload(client, PROGRESS, data, "tien-do.xlsx")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert TOO_BIG in body and "xóa các dòng trống thừa" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_sheet_that_only_claims_millions_of_rows_is_read_as_it_is(as_user, directive_for):
    client = as_user("commune_a")
    data = _progress_file(client, directive_for)
    claims = _rewrite_sheet(data, lambda xml: _claiming(3_000_000, xml))
    assert b"A1:K3000000" in zipfile.ZipFile(io.BytesIO(claims)).read("xl/worksheets/sheet1.xml")
    token_of(upload(client, PROGRESS, claims, "tien-do.xlsx"))


def test_reading_stops_at_the_time_limit(app, as_user, directive_for):
    app.config["IMPORT_MAX_SECONDS"] = 0
    client = as_user("commune_a")
    data = _rewrite_sheet(_progress_file(client, directive_for), _blank_rows(3, 1000))
    response = upload(client, PROGRESS, data, "tien-do.xlsx")
    assert response.status_code == 400 and TOO_BIG in response.get_data(as_text=True)


def test_rows_past_what_the_sheet_claims_are_read_not_dropped(as_user, directive_for):
    client = as_user("commune_a")
    data = _rewrite_sheet(_progress_file(client, directive_for), lambda xml: _claiming(1, xml))
    response = upload(client, PROGRESS, data, "tien-do.xlsx")
    assert "không có dòng dữ liệu nào" not in response.get_data(as_text=True)
    token_of(response)


def test_a_cell_too_long_says_the_limit_as_a_clerk_writes_it(app):
    from app.imports.rows import RowCheck

    row = {"cells": {"B": "x" * 301}, "problems": [], "shown": {}}
    with app.test_request_context():
        assert RowCheck(row).required("B", "Thiếu tiêu đề.", max_length=300) is None
    assert row["problems"] == [{"col": "B", "message": "Dài hơn mức tối đa 300 ký tự."}]  # not "Dài quá 300 ký tự."
