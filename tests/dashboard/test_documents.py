"""The dashboard's own documents (every table as Excel, the first screen as PDF or Word) are
document jobs: the link offers a button, the button starts a job for the scope asked, the file
is its user's only, and the same document asked again is served from the cache until the data
changes."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from app import audit
from app.docjobs.models import DONE, DocumentJob
from app.extensions import db
from app.formatting import format_date
from tests.dashboard.conftest import ids as unit_ids
from tests.docjobs.fetch import fetch_document, job_id_of, read_file, wait_for_job


def jobs(app) -> list[DocumentJob]:
    with app.app_context():
        rows = list(db.session.scalars(select(DocumentJob).order_by(DocumentJob.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def job_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(DocumentJob.id)))


def scope_rows(response) -> list[str]:
    """The lines under the heading of the workbook's first sheet (what it counts)."""
    sheet = load_workbook(io.BytesIO(response.data), read_only=True)["Tóm tắt"]
    return [row[0] for row in sheet.iter_rows(min_row=2, max_row=5, values_only=True) if row and row[0]]


def test_the_links_offer_a_button_and_start_no_job(app, seeded, as_user):
    client = as_user("leader")
    for url in (f"/dashboard/export.xlsx?{seeded['query']}", f"/dashboard/summary.pdf?{seeded['query']}"):
        page = client.get(url)
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        # A form that works without JavaScript: it posts to the same address, with its token.
        assert f'<form method="post" action="{url.replace("&", "&amp;")}"' in body
        assert 'name="csrf_token"' in body and "Tạo và tải tệp" in body
    assert job_count(app) == 0


def test_the_workbook_is_a_job_for_the_period_asked(app, seeded, as_user):
    client = as_user("leader")
    started = client.post(f"/dashboard/export.xlsx?{seeded['query']}")
    job_id = job_id_of(started)
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    # Without JavaScript the finished page offers its link (the running one refreshes itself).
    assert "Đã tạo xong tệp." in page and f'href="/documents/jobs/{job_id}/file"' in page
    response = read_file(client, job_id)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    start, end = format_date(seeded["start"]), format_date(seeded["end"])
    assert any(f"từ ngày {start} đến ngày {end}" in line for line in scope_rows(response))
    (row,) = jobs(app)
    assert (row.kind, row.state, row.mime) == ("dashboard", DONE, response.mimetype)
    assert row.file_name == f"Bảng điều hành {seeded['start']:%d-%m-%Y} - {seeded['end']:%d-%m-%Y}.xlsx"


def test_a_unit_scope_is_its_own_document(app, seeded, as_user):
    client = as_user("leader")
    whole = fetch_document(client, f"/dashboard/export.xlsx?{seeded['query']}")
    (sxd,) = unit_ids(app, "SXD")
    scoped = fetch_document(client, f"/dashboard/export.xlsx?{seeded['query']}&unit={sxd}")
    assert not any(line.startswith("Đơn vị:") for line in scope_rows(whole))
    assert any(line.startswith("Đơn vị: Sở Xây dựng") for line in scope_rows(scoped))
    assert job_count(app) == 2


def test_the_same_summary_again_comes_from_the_cache_until_the_data_changes(app, seeded, as_user):
    client = as_user("coordinator")
    url = f"/dashboard/summary.docx?{seeded['query']}"
    first = job_id_of(client.post(url))
    wait_for_job(client, first)
    assert job_id_of(client.post(url)) == first and job_count(app) == 1
    with app.app_context():  # any audited change is a new data version
        audit.record("test.change", object_type="proposals", object_id=seeded["proposals"]["pending"])
        db.session.commit()
    fresh = job_id_of(client.post(url))
    assert fresh != first
    wait_for_job(client, fresh)
    assert read_file(client, fresh).data[:2] == b"PK"


def test_only_its_user_gets_the_job_and_its_file(app, seeded, as_user):
    job_id = job_id_of(as_user("leader").post(f"/dashboard/summary.pdf?{seeded['query']}"))
    assert read_file(as_user("leader"), job_id).status_code == 200
    other = as_user("coordinator")  # sees the same dashboard, yet not someone else's file
    assert other.get(f"/documents/jobs/{job_id}").status_code == 404
    assert other.get(f"/documents/jobs/{job_id}/file").status_code == 404


def test_refusals_come_at_once_without_a_job(app, seeded, as_user):
    assert as_user("department").post(f"/dashboard/export.xlsx?{seeded['query']}").status_code == 403
    assert as_user("commune_b").post(f"/dashboard/summary.pdf?{seeded['query']}").status_code == 403
    # A range ending before it starts: back to the dashboard, which says what is wrong.
    bad = as_user("leader").post("/dashboard/export.xlsx?period=custom&from=2026-05-01&to=2026-04-01")
    assert bad.status_code == 303 and "/dashboard/?" in bad.headers["Location"]
    assert job_count(app) == 0
