"""A PDF already laid out is kept by its HTML: the same report asked again after the data
changed elsewhere (a new job) is that PDF at once, without WeasyPrint; a changed report is laid
out again; the folder keeps only the last few."""

import os

from sqlalchemy import func, select

from app import audit
from app.docjobs.models import DocumentJob
from app.documents import pdf
from app.extensions import db
from app.proposals.models import Proposal
from tests.docjobs.fetch import fetch_document


def layouts(app) -> list[str]:
    folder = os.path.join(app.config["DOCUMENT_JOB_DIR"], "layouts")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_the_same_report_after_an_unrelated_change_is_not_laid_out_again(app, meeting, as_user, monkeypatch):
    meeting_id = meeting()
    client = as_user("leader")
    url = f"/reports/meeting.pdf?meeting={meeting_id}"
    first = fetch_document(client, url)
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    assert len(layouts(app)) == 1

    with app.app_context():  # a new data version: the job's cache no longer serves the file
        audit.record("test.change", object_type="units", object_id=1)
        db.session.commit()

    def no_layout(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "run_in_child", no_layout)
    again = fetch_document(client, url)
    assert again.status_code == 200 and again.data == first.data
    with app.app_context():  # a job of its own, served from the kept layout
        assert db.session.scalar(select(func.count(DocumentJob.id))) == 2

    monkeypatch.undo()
    with app.app_context():  # the report's own text changes: laid out again
        proposal = db.session.scalar(select(Proposal).where(Proposal.meeting_id == meeting_id))
        proposal.title = "Đường liên thôn Ia Boòng, đoạn qua làng Bui"
        audit.record("test.change", object_type="proposals", object_id=proposal.id)
        db.session.commit()
    changed = fetch_document(client, url)
    assert changed.status_code == 200 and changed.data != first.data
    assert len(layouts(app)) == 2


def test_without_the_cache_every_build_is_laid_out(app, meeting, as_user):
    app.config["PDF_LAYOUT_CACHE"] = False
    response = fetch_document(as_user("leader"), f"/reports/meeting.pdf?meeting={meeting()}")
    assert response.status_code == 200 and layouts(app) == []


def test_the_folder_keeps_the_most_recently_used(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "LAYOUT_CACHE_FILES", 2)
    folder = str(tmp_path)
    for number, key in enumerate(("a", "b", "c")):
        pdf.keep_layout(folder, key, b"%PDF-" + key.encode())
        os.utime(os.path.join(folder, f"{key}.pdf"), ns=(number * 10**9, number * 10**9))
        pdf._trim(folder)
    assert sorted(os.listdir(folder)) == ["b.pdf", "c.pdf"]
    assert pdf.cached_layout(folder, "b") == b"%PDF-b"  # used: now the most recent
    pdf.keep_layout(folder, "d", b"%PDF-d")
    assert sorted(os.listdir(folder)) == ["b.pdf", "d.pdf"]
    assert pdf.cached_layout(folder, "c") is None
    assert pdf.layout_key("<p>một</p>") != pdf.layout_key("<p>hai</p>")
