"""Excel exports of the two lists: the filters applied on screen, every row the screen lists."""

import html
import re
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import update

from app import clock
from app.directives.models import Assignment
from app.extensions import db
from tests.dashboard.conftest import field_id, ids
from tests.directives.conftest import days
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, xlsx_of

EXCEL_LINK_RE = re.compile(r'<form method="post" action="([^"]+\.xlsx[^"]*)" class="document-form no-print">')
PROPOSAL_TOTAL_RE = re.compile(r"<small>([\d.]+) kiến nghị</small>")
ASSIGNMENT_TOTAL_RE = re.compile(r"<small>([\d.]+) nhiệm vụ, hạn gần nhất trước")


def excel_link(page: str) -> str:
    match = EXCEL_LINK_RE.search(page)
    assert match, "no Excel link on the list"
    return html.unescape(match.group(1))


def rows_of(sheet) -> tuple[list[str], list[str], list[list]]:
    """(filter lines, column headings, data rows) of an exported sheet."""
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    heading_at = next(i for i, row in enumerate(values) if row[0] in ("Số", "Chỉ đạo"))
    lines = [row[0] for row in values[1:heading_at]]
    return lines, values[heading_at], values[heading_at + 1:]


def test_proposal_list_exports_what_it_shows_with_its_filters(app, seeded, as_user):
    client = as_user("coordinator")
    roads = field_id(app, "Giao thông")
    page = client.get(f"/proposals/?state=assigned&field={roads}&q=quá hạn").get_data(as_text=True)
    shown = int(PROPOSAL_TOTAL_RE.search(page).group(1))
    link = excel_link(page)
    assert "state=assigned" in link and f"field={roads}" in link and "sort=-submitted" in link
    response = fetch_document(client, link)
    sheet = xlsx_of(response)
    assert sheet.title == "Danh sách kiến nghị" and sheet["A1"].value == "Danh sách kiến nghị" and sheet["A1"].font.bold
    lines, headings, rows = rows_of(sheet)
    assert lines[:4] == ["Phạm vi: toàn tỉnh", "Tìm kiếm: “quá hạn”", "Trạng thái: Đã chuyển xử lý", "Lĩnh vực: Giao thông"]
    assert lines[-1].startswith("Xuất lúc ") and "Phạm Quốc Khánh (Văn phòng Tỉnh ủy)" in lines[-1]
    assert headings[:7] == ["Số", "Tiêu đề", "Xã, phường", "Lĩnh vực", "Kinh phí (đồng)", "Ngày gửi", "Trạng thái"]
    assert len(rows) == shown == 1
    row = dict(zip(headings, rows[0], strict=True))
    assert row["Tiêu đề"] == "Cầu tràn quá hạn" and row["Đơn vị chủ trì"] == "Sở Xây dựng"
    assert row["Kinh phí (đồng)"] == 1_000_000_000 and row["Thời hạn"] == "Quá hạn trả lời (5 ngày)"
    data_row = len(lines) + 3
    assert sheet.cell(data_row, 6).number_format == "dd/mm/yyyy" and sheet.cell(data_row, 5).number_format == "#,##0"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Danh sach kien nghi ')
    assert f"filename*=UTF-8''{quote('Danh sách kiến nghị', safe='')}" in response.headers["Content-Disposition"]


def test_every_page_of_the_list_is_exported(app, seeded, as_user, make_proposal):
    app.config["PAGE_SIZE"] = 2
    client = as_user("leader")
    page = client.get("/proposals/").get_data(as_text=True)
    assert int(PROPOSAL_TOTAL_RE.search(page).group(1)) == 6 and 'rel="next"' in page  # one page of two shown
    _lines, _headings, rows = rows_of(xlsx_of(fetch_document(client, excel_link(page))))
    assert len(rows) == 6


def test_a_commune_exports_only_its_own_proposals(seeded, as_user):
    client = as_user("commune_b")
    lines, _headings, rows = rows_of(xlsx_of(fetch_document(client, "/reports/export/proposals.xlsx")))
    assert lines[0] == "Phạm vi: kiến nghị của phường Pleiku"
    assert [row[1] for row in rows] == ["Kênh mương đã trả lời"]
    # A commune filter in the URL cannot widen what a commune sees.
    _lines, _headings, rows = rows_of(xlsx_of(fetch_document(client, "/reports/export/proposals.xlsx?commune=1")))
    assert [row[1] for row in rows] == ["Kênh mương đã trả lời"]


def test_assignment_list_exports_with_its_filters_and_the_day_statuses_are_taken_on(app, seeded, as_user):
    client = as_user("coordinator")
    sxd = ids(app, "SXD")[0]
    page = client.get(f"/assignments?status=open_overdue&unit_id={sxd}").get_data(as_text=True)
    assert int(ASSIGNMENT_TOTAL_RE.search(page).group(1)) == 1
    sheet = xlsx_of(fetch_document(client, excel_link(page)))
    assert sheet["A1"].value == "Danh sách nhiệm vụ"
    lines, headings, rows = rows_of(sheet)
    assert lines[:3] == ["Phạm vi: toàn tỉnh", "Tình trạng: Đang thực hiện quá hạn", "Đơn vị: Sở Xây dựng"]
    assert any(line.startswith("Tình trạng tính đến ngày ") for line in lines)
    row = dict(zip(headings, rows[0], strict=True))
    assert (row["Chỉ đạo"], row["Đơn vị"], row["Vai trò"], row["Tình trạng"], row["Số ngày quá hạn"]) == (
        "Kiện toàn tổ chức bộ máy", "Sở Xây dựng", "Chủ trì", "Đang thực hiện quá hạn", 10)
    # A period: statuses on its last day, written above the table (Pleiku finished after it).
    with app.app_context():
        db.session.execute(update(Assignment).values(created_at=clock.now() - timedelta(days=40)))
        db.session.commit()
    query = f"status=all&date_from={seeded['start'].isoformat()}&date_to={days(-5).isoformat()}"
    lines, headings, rows = rows_of(xlsx_of(fetch_document(client, f"/reports/export/assignments.xlsx?{query}")))
    assert f"Tình trạng tính đến ngày {days(-5):%d/%m/%Y}" in lines
    assert f"Theo dõi từ ngày {seeded['start']:%d/%m/%Y} đến ngày {days(-5):%d/%m/%Y}" in lines
    pleiku = next(row for row in rows if row[headings.index("Đơn vị")] == "Phường Pleiku" and row[0] == "Kiện toàn tổ chức bộ máy")
    assert pleiku[headings.index("Tình trạng")] == "Đang thực hiện quá hạn"

def test_a_unit_exports_only_its_own_assignments(seeded, as_user):
    _lines, headings, rows = rows_of(xlsx_of(fetch_document(as_user("commune_a"), "/reports/export/assignments.xlsx?status=all")))
    assert {row[headings.index("Đơn vị")] for row in rows} == {"Xã Ia Boòng"}
    assert sorted(row[0] for row in rows) == ["Giảm nghèo, an sinh xã hội", "Kiện toàn tổ chức bộ máy"]
    ongoing = next(row for row in rows if row[0] == "Giảm nghèo, an sinh xã hội")
    assert ongoing[headings.index("Thời hạn")] == "Thường xuyên"


def test_titles_saved_with_control_characters_still_export(app, as_user, make_proposal, meeting):
    """Rows saved before forms cleaned their text: the Excel list, the Word and PDF reports."""
    meeting_id = meeting()
    make_proposal(title="Sửa\x07 cầu treo\x0b thôn 2", meeting_id=meeting_id)
    client = as_user("coordinator")
    rows = rows_of(xlsx_of(fetch_document(client, "/reports/export/proposals.xlsx?q=cầu treo")))[2]
    assert [row[1] for row in rows] == ["Sửa cầu treo thôn 2"]
    words = doc_text(docx_of(fetch_document(client, f"/reports/meeting.docx?meeting={meeting_id}")))
    assert "Sửa cầu treo thôn 2" in words
    assert len(pdf_of(fetch_document(client, f"/reports/meeting.pdf?meeting={meeting_id}")).pages) >= 1
