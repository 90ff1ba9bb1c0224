"""Document jobs end to end: built in a spawned process, served from the cache while nothing
changed, stopped at their time limit, shown only to their user, recovered after a lost worker."""

import io
import os
import subprocess
import time

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app import audit
from app.docjobs import services
from app.docjobs.models import DONE, FAILED, QUEUED, RUNNING, DocumentJob
from app.extensions import db
from app.models import User
from tests.conftest import TEST_USERS
from tests.docjobs.fetch import job_id_of, read_file, wait_for_job


def job(app, job_id: int) -> DocumentJob:
    with app.app_context():
        row = db.session.get(DocumentJob, job_id)
        db.session.expunge(row)
        return row


def job_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(DocumentJob.id)))


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_meeting_report_pdf_is_built_in_a_spawned_process_and_downloaded(pooled, meeting, as_user):
    meeting_id = meeting()
    client = as_user("leader")

    started = client.post(f"/reports/meeting.pdf?meeting={meeting_id}")
    job_id = job_id_of(started)
    page = client.get(f"/documents/jobs/{job_id}").get_data(as_text=True)
    assert "<progress" in page or "Đã tạo xong tệp" in page
    assert 'role="status" aria-live="polite"' in page
    done = wait_for_job(client, job_id).get_data(as_text=True)
    assert "Đã tạo xong tệp." in done and f'href="/documents/jobs/{job_id}/file"' in done

    response = read_file(client, job_id)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "II. Giao thông (3 kiến nghị)" in text and "Nơi nhận:" in text
    row = job(pooled, job_id)
    assert (row.state, row.progress, row.step, row.mime) == (DONE, 100, "Đã xong", "application/pdf")
    assert row.worker_pid not in (None, os.getpid()) and gone(row.worker_pid)  # its own process, ended
    assert row.file_name == "Báo cáo kiến nghị Hội nghị giao ban tháng 9 24-09-2025.pdf"
    assert row.file_path.startswith(pooled.config["DOCUMENT_JOB_DIR"])


def test_an_export_job_gives_a_workbook(pooled, seeded, as_user):
    pooled.config["EXPORT_IN_REQUEST_ROWS"] = 0  # every export a job: the seeded list is small
    client = as_user("coordinator")
    job_id = job_id_of(client.post("/reports/export/proposals.xlsx?state=assigned"))
    wait_for_job(client, job_id)
    response = read_file(client, job_id)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(1, 1).value == "Danh sách kiến nghị"
    assert 'filename="Danh sach kien nghi ' in response.headers["Content-Disposition"]


def test_the_same_document_again_is_served_from_the_cache_until_the_data_changes(pooled, meeting, as_user):
    meeting_id = meeting()
    client = as_user("leader")
    url = f"/reports/meeting.docx?meeting={meeting_id}"
    first = job_id_of(client.post(url))
    wait_for_job(client, first)
    built = job(pooled, first).finished_at

    pressed = client.post(url)
    again = job_id_of(pressed)
    assert again == first and job_count(pooled) == 1  # no new build
    assert job(pooled, first).finished_at == built
    page = client.get(pressed.headers["Location"]).get_data(as_text=True)
    assert "Đã tạo xong tệp." in page and f'data-auto-download="{first}-' in page  # downloads at once
    assert "data-auto-download" not in client.get(f"/documents/jobs/{first}").get_data(as_text=True)
    assert read_file(client, again).data[:2] == b"PK"

    with pooled.app_context():  # any audited change is a new data version
        audit.record("test.change", object_type="meetings", object_id=meeting_id)
        db.session.commit()
    fresh = job_id_of(client.post(url))
    assert fresh != first and job_count(pooled) == 2
    wait_for_job(client, fresh)
    assert job(pooled, fresh).state == DONE


def test_a_job_past_its_time_limit_fails_in_vietnamese_and_its_process_is_gone(pooled, meeting, as_user):
    pooled.config["DOCUMENT_JOB_TIMEOUT_SECONDS"] = 0.001
    meeting_id = meeting()
    client = as_user("leader")
    job_id = job_id_of(client.post(f"/reports/meeting.pdf?meeting={meeting_id}"))

    page = wait_for_job(client, job_id).get_data(as_text=True)

    assert "Tài liệu chưa tạo xong trong 0,001 giây nên đã dừng" in page
    row = job(pooled, job_id)
    assert row.state == FAILED and row.file_path is None
    assert row.worker_pid is not None and gone(row.worker_pid)
    assert client.get(f"/documents/jobs/{job_id}/file").status_code == 404


def test_another_user_gets_404_for_the_job_and_its_file(app, meeting, as_user):
    meeting_id = meeting()
    job_id = job_id_of(as_user("leader").post(f"/reports/meeting.pdf?meeting={meeting_id}"))
    assert read_file(as_user("leader"), job_id).status_code == 200
    other = as_user("coordinator")  # sees every report, yet not someone else's file
    assert other.get(f"/documents/jobs/{job_id}").status_code == 404
    assert other.get(f"/documents/jobs/{job_id}/file").status_code == 404
    # Asking for the same report makes the coordinator a job of their own.
    mine = job_id_of(other.post(f"/reports/meeting.pdf?meeting={meeting_id}"))
    assert mine != job_id


def test_a_document_the_user_may_not_have_is_refused_before_any_job(app, meeting, as_user):
    meeting_id = meeting()
    assert as_user("commune_a").post(f"/reports/meeting.pdf?meeting={meeting_id}").status_code == 403
    assert as_user("leader").post("/reports/meeting.pdf?meeting=999999").status_code == 404
    assert as_user("leader").post(f"/reports/meeting.pdf?meeting={meeting_id}&issuer=abc").status_code == 400
    assert job_count(app) == 0


def test_without_the_token_no_job_starts(app, meeting, as_user):
    response = as_user("leader").post(f"/reports/meeting.pdf?meeting={meeting()}", csrf=False)
    assert response.status_code == 400 and job_count(app) == 0


def _left_running(app, key: str, attempts: int, meeting_id: int) -> int:
    """A job as a worker killed mid-build leaves it: running, owned by a process that is gone."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == TEST_USERS[key][0]))
        row = DocumentJob(
            kind="report", parameters={"name": "meeting", "fmt": "pdf", "args": {"meeting": [str(meeting_id)]}},
            user_id=user.id, state=RUNNING, progress=40, step="Đang dàn trang tài liệu", cache_key="x" * 64,
            attempts=attempts, worker_host=services.HOST, worker_pid=dead.pid,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_a_job_left_running_by_a_killed_worker_is_built_again(pooled, meeting, as_user):
    meeting_id = meeting()
    client = as_user("leader")
    job_id = _left_running(pooled, "leader", 1, meeting_id)

    wait_for_job(client, job_id)

    row = job(pooled, job_id)
    assert row.state == DONE and row.attempts == 2
    assert read_file(client, job_id).data.startswith(b"%PDF-")


def test_a_job_lost_twice_is_given_up_with_a_message(app, meeting, as_user):
    job_id = _left_running(app, "leader", 2, meeting())

    page = as_user("leader").get(f"/documents/jobs/{job_id}").get_data(as_text=True)

    assert "Việc tạo tài liệu bị dừng giữa chừng" in page
    assert job(app, job_id).state == FAILED


def test_a_queued_job_is_taken_once(app, meeting, as_user):
    job_id = job_id_of(as_user("leader").post(f"/reports/meeting.docx?meeting={meeting()}"))
    with app.app_context():
        db.session.get(DocumentJob, job_id).state = QUEUED
        db.session.commit()
        assert services.claim(job_id, 1) is True
        assert services.claim(job_id, 2) is False


def _running_elsewhere(app, meeting_id: int) -> int:
    """A job another worker of the server is building now (its process is alive: this one)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == TEST_USERS["coordinator"][0]))
        row = DocumentJob(
            kind="report", parameters={"name": "meeting", "fmt": "docx", "args": {"meeting": [str(meeting_id)]}},
            user_id=user.id, state=RUNNING, progress=40, step="Đang dàn trang tài liệu", cache_key="y" * 64,
            attempts=1, worker_host=services.HOST, worker_pid=os.getpid(),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_the_limit_of_builds_is_the_whole_servers(app, meeting, as_user):
    meeting_id = meeting()
    _running_elsewhere(app, meeting_id)
    job_id = job_id_of(as_user("leader").post(f"/reports/meeting.docx?meeting={meeting_id}"))
    with app.app_context():
        db.session.get(DocumentJob, job_id).state = QUEUED
        db.session.commit()
        assert services.claim(job_id, None, limit=1) is False  # the other worker's build holds the place
        assert services.still_queued(job_id)
        assert services.claim(job_id, None, limit=2) is True
        assert not services.still_queued(job_id)


def test_a_job_waits_while_other_workers_build_as_many_as_allowed(pooled, meeting, as_user):
    pooled.config["DOCUMENT_JOB_PROCESSES"] = 1
    meeting_id = meeting()
    other = _running_elsewhere(pooled, meeting_id)
    client = as_user("leader")
    job_id = job_id_of(client.post(f"/reports/meeting.docx?meeting={meeting_id}"))

    time.sleep(1.0)  # the pool looks every 0.25 s: it has looked and waited
    page = client.get(f"/documents/jobs/{job_id}").get_data(as_text=True)
    assert job(pooled, job_id).state == QUEUED and "Đang chờ đến lượt" in page

    with pooled.app_context():  # the other worker's build ends: the place is free
        db.session.get(DocumentJob, other).state = DONE
        db.session.commit()
    wait_for_job(client, job_id)
    assert job(pooled, job_id).state == DONE
    assert read_file(client, job_id).data[:2] == b"PK"
