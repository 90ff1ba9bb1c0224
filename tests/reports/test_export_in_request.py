"""A small export is sent in its own request; a big one is a document job with its progress bar.

The rule (docs/architecture.md, "Documents: jobs"): a list export of at most
EXPORT_IN_REQUEST_ROWS rows, counted first and no further than that, comes back as the file
itself, to the button (POST, with its CSRF token) and to a link (GET) alike; a bigger one is
a job, with the page that follows it, with or without JavaScript.
"""

import io
import re
from datetime import date, datetime

from flask_login import login_user
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.docjobs.models import DocumentJob
from app.extensions import db
from app.models import User
from app.reports import exports
from tests.docjobs.fetch import job_id_of, read_file
from tests.documents.workbooks import xlsx_bytes
from tests.reports.test_exports import rows_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(DocumentJob.id)))


def test_a_small_export_is_the_file_itself_and_no_job(app, seeded, as_user):
    client = as_user("coordinator")

    pressed = client.post("/reports/export/proposals.xlsx?state=assigned")
    linked = client.get("/reports/export/proposals.xlsx?state=assigned")
    csv = client.post("/reports/export/assignments.csv?status=all")

    for response in (pressed, linked):
        assert response.status_code == 200 and response.mimetype == XLSX
        assert 'attachment; filename="Danh sach kien nghi ' in response.headers["Content-Disposition"]
        _lines, _headings, rows = rows_of(load_workbook(io.BytesIO(response.data)).active)
        assert sorted(row[1] for row in rows) == ["Cầu tràn quá hạn", "Đường liên thôn trong hạn"]
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith("\ufeff".encode())
    assert job_count(app) == 0


def test_a_small_export_still_needs_the_csrf_token_to_be_pressed(seeded, as_user):
    client = as_user("coordinator")
    assert client.post("/reports/export/proposals.xlsx", csrf=False).status_code == 400


def test_an_export_over_the_limit_is_a_job_with_its_progress_page(app, seeded, as_user):
    app.config["EXPORT_IN_REQUEST_ROWS"] = 1
    client = as_user("coordinator")
    url = "/reports/export/proposals.xlsx?state=assigned"  # two rows

    offered = client.get(url).get_data(as_text=True)
    assert f'<form method="post" action="{url}"' in offered and "Tạo và tải tệp" in offered
    pressed = client.post(url)
    job_id = job_id_of(pressed)
    page = client.get(pressed.headers["Location"]).get_data(as_text=True)  # as a browser without JavaScript
    assert "<noscript>" in page and f'url=/documents/jobs/{job_id}/file' in page
    response = read_file(client, job_id)
    assert response.status_code == 200 and response.mimetype == XLSX
    assert len(rows_of(load_workbook(io.BytesIO(response.data)).active)[2]) == 2
    assert job_count(app) == 1


def test_an_export_at_the_limit_is_still_sent_at_once(app, seeded, as_user):
    app.config["EXPORT_IN_REQUEST_ROWS"] = 2
    response = as_user("coordinator").post("/reports/export/proposals.xlsx?state=assigned")
    assert response.status_code == 200 and response.mimetype == XLSX


def test_the_rows_are_counted_within_what_the_user_sees_and_no_further_than_the_limit(app, seeded, users):
    def count(key: str, path: str, list_name: str, limit: int) -> int:
        with app.test_request_context(path), app.app_context():
            user = db.session.get(User, users[key].id)
            login_user(user)
            return exports.COUNTS[list_name](user, limit)

    assert count("coordinator", "/?state=assigned", "proposals", 100) == 2
    assert count("coordinator", "/", "proposals", 1) == 2  # stops at limit + 1
    coordinator_all = count("coordinator", "/", "proposals", 100)
    commune_b = count("commune_b", "/", "proposals", 100)
    assert 0 < commune_b < coordinator_all  # one query per entity: the commune's own proposals
    assert count("coordinator", "/?status=all", "assignments", 100) > count("department", "/?status=all", "assignments", 100)


def test_a_workbook_in_memory_holds_the_same_cells_as_one_streamed():
    rows = [
        [1, "=SUM(A1)", "", None, 1_500_000, date(2025, 3, 1), datetime(2025, 3, 2, 8, 30), "a\x01b"],
        [2, "Đường liên thôn", "Sở Xây dựng", None, None, date(1900, 1, 5), None, "x"],
    ]
    columns = [(f"c{i}", 10) for i in range(8)]
    books = [load_workbook(io.BytesIO(xlsx_bytes("T", columns, iter(rows), ["lọc"], in_memory=mode)))
             for mode in (False, True)]
    cells = [[[(c.value, c.number_format, c.data_type) for c in row] for row in book.active.iter_rows()]
             for book in books]
    assert cells[0] == cells[1]
    first = books[1].active[4]
    assert [c.value for c in first][:3] == [1, "=SUM(A1)", None] and first[1].data_type == "s"
    assert first[5].value == datetime(2025, 3, 1) and first[5].number_format == "dd/mm/yyyy"
    assert books[1].active[5][5].value == datetime(1900, 1, 5)
    assert first[7].value == "ab"
    assert books[1].active.freeze_panes == "A4"


def test_a_small_export_reads_the_same_number_of_statements_whatever_its_rows(app, seeded, as_user, make_proposal):
    from tests.statements import statements_sent

    client = as_user("coordinator")
    token = {"X-CSRFToken": client.fetch_csrf_token()}
    client.post("/reports/export/proposals.xlsx", headers=token)  # warm
    with statements_sent(app) as few:
        client.post("/reports/export/proposals.xlsx", headers=token)
    for _ in range(3):
        make_proposal(supports=("STC", "SNV"))
    with statements_sent(app) as more:
        assert client.post("/reports/export/proposals.xlsx", headers=token).status_code == 200
    assert len(more) == len(few), "\n".join(sorted(set(more) - set(few)))
    counts = [s for s in more if s.startswith("SELECT count(*)")]
    assert len(counts) == 1 and re.search(r"FROM \(SELECT proposals.id AS id \n?FROM proposals", counts[0]), counts
    assert len([s for s in more if "FROM proposal_support_units" in s]) == 1  # one for the batch, not one a row
