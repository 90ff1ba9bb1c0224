"""CSV exports of the two lists: UTF-8 with BOM, the same rows as the Excel file, no formulas."""

import csv
import html
import io
import re

from tests.dashboard.conftest import field_id
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import xlsx_of
from tests.reports.test_exports import rows_of

CSV_LINK_RE = re.compile(r'<form method="post" action="([^"]+\.csv[^"]*)" class="document-form no-print">')


def csv_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def test_the_proposal_list_offers_csv_with_the_rows_of_its_excel_file(app, seeded, as_user):
    client = as_user("coordinator")
    roads = field_id(app, "Giao thông")
    page = client.get(f"/proposals/?state=assigned&field={roads}&q=quá hạn").get_data(as_text=True)
    link = html.unescape(CSV_LINK_RE.search(page).group(1))
    assert link.startswith("/reports/export/proposals.csv?") and "state=assigned" in link and f"field={roads}" in link
    response = fetch_document(client, link)
    table = csv_of(response)
    assert table[0][:7] == ["Số", "Tiêu đề", "Xã, phường", "Lĩnh vực", "Kinh phí (đồng)", "Ngày gửi", "Trạng thái"]
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Tiêu đề"] == "Cầu tràn quá hạn" and row["Kinh phí (đồng)"] == "1000000000"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", row["Ngày gửi"])
    assert len(table) == 2
    _lines, headings, rows = rows_of(xlsx_of(fetch_document(client, link.replace(".csv?", ".xlsx?"))))
    assert table[0] == headings and len(rows) == len(table) - 1
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Danh sach kien nghi ')
    assert '.csv"' in response.headers["Content-Disposition"]


def test_the_assignment_list_offers_csv(seeded, as_user):
    client = as_user("coordinator")
    page = client.get("/assignments?status=all").get_data(as_text=True)
    link = html.unescape(CSV_LINK_RE.search(page).group(1))
    table = csv_of(fetch_document(client, link))
    assert table[0][:3] == ["Chỉ đạo", "Người chỉ đạo", "Đơn vị"]
    _lines, _headings, rows = rows_of(xlsx_of(fetch_document(client, link.replace(".csv", ".xlsx"))))
    assert len(table) - 1 == len(rows) > 0


def test_a_title_that_looks_like_a_formula_stays_text(app, as_user, make_proposal):
    hostile = '=HYPERLINK("http://evil.example/","Bấm")'
    make_proposal(title=hostile)
    table = csv_of(fetch_document(as_user("coordinator"), "/reports/export/proposals.csv"))
    titles = [row[1] for row in table[1:]]
    assert "'" + hostile in titles and hostile not in titles
