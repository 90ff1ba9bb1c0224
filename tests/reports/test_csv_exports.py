"""CSV exports of the two lists: UTF-8 with BOM, the same rows as the Excel file, no formulas."""

import csv
import html
import io
import os
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


def test_csv_rows_go_to_the_file_as_they_come(tmp_path):
    """A CSV is written into its file row by row (a document job's export of any size): twenty
    times the rows do not take twenty times the memory, as a file put together in memory did."""
    import tracemalloc
    from datetime import date

    from app.documents.csvfile import write_csv

    columns = [("Số", 7), ("Tiêu đề", 45), ("Ngày gửi", 11), ("Kinh phí (đồng)", 16)]

    def rows(count):
        for number in range(count):
            yield [number, f"Kiến nghị số {number} về sửa chữa đường liên thôn", date(2026, 3, 2), 1_500_000]

    peaks = {}
    for count in (2_000, 40_000):
        with open(tmp_path / f"{count}.csv", "wb") as out:
            tracemalloc.start()
            write_csv(out, columns, rows(count))
            peaks[count] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    written = (tmp_path / "40000.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and len(written) > 3_000_000
    assert written.decode("utf-8-sig").splitlines()[40_000] == (
        "39999,Kiến nghị số 39999 về sửa chữa đường liên thôn,02/03/2026,1500000")
    assert peaks[40_000] < 2 * peaks[2_000] + 256 * 1024 < len(written) // 4


def test_an_export_job_writes_the_same_csv_as_the_request_does(app, seeded, as_user):
    """The job (any number of rows) streams into its file what the request (a few rows) sends."""
    client = as_user("coordinator")
    url = "/reports/export/proposals.csv?state=assigned"
    in_request = client.post(url)
    assert in_request.status_code == 200 and in_request.mimetype == "text/csv"
    app.config["EXPORT_IN_REQUEST_ROWS"] = 0  # every export a job
    by_job = fetch_document(client, url)
    assert by_job.data == in_request.data and len(csv_of(by_job)) > 1


def test_a_failed_export_job_leaves_no_partial_file(app, seeded, as_user, monkeypatch):
    from app.docjobs.models import FAILED, DocumentJob
    from app.extensions import db
    from app.reports import exports

    def half_written(user, kind, out, *, in_memory=False):
        out.write(b"\xef\xbb\xbfS\xe1\xbb\x91,Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\r\n")
        raise RuntimeError("the database went away")

    monkeypatch.setitem(exports.FILES, "proposals", half_written)
    app.config["EXPORT_IN_REQUEST_ROWS"] = 0
    client = as_user("coordinator")
    page = client.post("/reports/export/proposals.csv")
    assert page.status_code == 303
    with app.app_context():
        job = db.session.scalars(db.select(DocumentJob).order_by(DocumentJob.id.desc())).first()
        assert job.state == FAILED and job.file_path is None and "Có lỗi khi tạo tài liệu" in job.error
    folder = app.config["DOCUMENT_JOB_DIR"]
    left = os.listdir(folder) if os.path.isdir(folder) else []
    assert [name for name in left if name.startswith(f"{job.id}-")] == []  # neither the .part nor a file
