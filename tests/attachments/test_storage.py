"""Uploaded files on disk: long names, a folder that cannot be written, files that follow the
transaction (written ones go if it does not commit, removed ones only once it does)."""

import io
import logging
import os

import pytest
from sqlalchemy import event, func, select
from werkzeug.datastructures import FileStorage

from app.attachments import storage
from app.extensions import db
from app.models import Attachment
from app.proposals.models import Proposal
from tests.directives.conftest import PDF, assign, assignment_of, make_directive  # noqa: F401  (fixtures)
from tests.proposals.test_form import new_form, valid_data
from tests.test_forms import field_error, field_value

LONG_STEM = "Tờ trình đề nghị hỗ trợ kinh phí sửa chữa, nâng cấp đường giao thông nông thôn liên thôn " * 3


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def files_on_disk(app) -> list[str]:
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def post_proposal(app, client, name: str, body: bytes = PDF, **overrides):
    data = valid_data(app, new_form(client), attachments=[(io.BytesIO(body), name)], **overrides)
    return client.post("/proposals/new", content_type="multipart/form-data", data=data)


# --- names ------------------------------------------------------------------------------------


def test_a_long_name_is_shortened_keeping_its_extension(app, login_as):
    """Names over 200 characters lost their extension and were refused as having none."""
    client = login_as("commune_a")
    name = LONG_STEM + "(bản ký số).pdf"
    assert len(name) > 200
    response = post_proposal(app, client, name)
    assert response.status_code == 303
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        kept, attachment_id = attachment.original_name, attachment.id
    assert len(kept) <= storage.NAME_MAX and kept.endswith("….pdf")
    assert kept.startswith("Tờ trình đề nghị hỗ trợ kinh phí sửa chữa")
    assert kept[:-5] in name  # cut between words, nothing altered before the cut
    with client.get(f"/files/{attachment_id}") as download:
        assert download.status_code == 200 and download.data == PDF


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Biên bản họp.pdf", "Biên bản họp.pdf"),
        ("C:\\Users\\Văn thư\\Tờ trình.docx", "Tờ trình.docx"),
        ("x" * 300 + ".png", "x" * 195 + "….png"),
        ("a." + "p" * 300, ("a." + "p" * 300)[:200]),  # an extension no one allows: refused by the check
    ],
)
def test_file_name(raw, expected):
    assert storage.file_name(raw) == expected


def test_a_shortened_name_never_parts_a_letter_from_its_mark():
    marked = "q\u0323"  # a letter and a mark with no composed form: NFC keeps them two
    name = storage.file_name(marked * 300 + ".pdf")
    assert len(name) <= storage.NAME_MAX and name.endswith(marked + "….pdf")


# --- a folder that cannot be written ------------------------------------------------------------


@pytest.fixture
def broken_folder(app, tmp_path):
    """UPLOAD_FOLDER under a regular file: creating or writing it fails even for root."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    return blocker


def test_an_unwritable_folder_keeps_the_form_and_says_what_is_wrong(app, login_as, broken_folder, caplog):
    client = login_as("commune_a")
    with caplog.at_level(logging.ERROR, logger="app.attachments.storage"):
        response = post_proposal(app, client, "Tờ trình.pdf", title="Sửa trạm y tế xã", content="Mái dột nặng.")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "thư mục lưu tệp trên máy chủ đang gặp sự cố" in field_error(page, "attachments")
    assert field_value(page, "title") == "Sửa trạm y tế xã" and field_value(page, "content") == "Mái dột nặng."
    assert count(app, Proposal) == 0
    assert "Uploads folder" in caplog.text and str(broken_folder) in caplog.text
    # Without a file the same form goes through.
    response = client.post("/proposals/new", data=valid_data(app, new_form(client), title="Không kèm tệp"))
    assert response.status_code == 303


def test_an_unwritable_folder_in_an_htmx_report_answers_503_with_the_panel(
        app, login_as, broken_folder, make_directive, assign, assignment_of):  # noqa: F811
    directive_id = make_directive()
    assign(directive_id, ["Xã Ia Boòng"])
    assignment_id = assignment_of(directive_id, "Xã Ia Boòng")
    response = login_as("commune_a").post(
        f"/assignments/{assignment_id}/report", htmx=True, content_type="multipart/form-data",
        data={"report-text": "Đã họp triển khai", "report-percent": "30", "report-files": (io.BytesIO(PDF), "Biên bản.pdf")},
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "<html" not in page and "thư mục lưu tệp trên máy chủ đang gặp sự cố" in page
    assert "Đã họp triển khai" in page


# --- files follow the transaction ---------------------------------------------------------------


def _upload(name="Biên bản.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name)


def test_files_written_for_a_transaction_that_does_not_commit_are_deleted(app):
    with app.app_context():
        db.session.execute(select(1))  # a transaction is open, as in every request
        [checked] = storage.check_uploads([_upload()])
        assert files_on_disk(app) == [checked.stored_name]
        db.session.rollback()
        assert files_on_disk(app) == []


def test_files_of_a_committed_transaction_stay(app, users):
    with app.app_context():
        db.session.execute(select(1))
        [checked] = storage.check_uploads([_upload()])
        storage.save(checked, "meeting", 1, None)
        db.session.commit()
        assert files_on_disk(app) == [checked.stored_name]


@pytest.fixture
def draft_with_file(app, login_as):
    client = login_as("commune_a")
    response = post_proposal(app, client, "Nhầm tệp.pdf")
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    return client, proposal_id, attachment_id


def test_a_removal_whose_commit_fails_keeps_the_file_and_the_download(app, draft_with_file):
    """The file was deleted before the commit: a failed commit left a row pointing at nothing."""
    client, proposal_id, attachment_id = draft_with_file
    assert len(files_on_disk(app)) == 1

    def refuse(session):
        raise RuntimeError("the database went away at commit")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    event.listen(db.session, "before_commit", refuse)
    try:
        response = client.post(f"/proposals/{proposal_id}/files/{attachment_id}/remove")
    finally:
        event.remove(db.session, "before_commit", refuse)
    assert response.status_code == 500
    assert count(app, Attachment) == 1 and len(files_on_disk(app)) == 1
    with client.get(f"/files/{attachment_id}") as download:
        assert download.status_code == 200 and download.data == PDF

    removed = client.post(f"/proposals/{proposal_id}/files/{attachment_id}/remove")
    assert removed.status_code == 303
    assert count(app, Attachment) == 0 and files_on_disk(app) == []


def test_deleting_a_draft_deletes_its_files_once_committed(app, draft_with_file):
    client, proposal_id, _attachment_id = draft_with_file
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    from tests.proposals.conftest import version_on

    response = client.post(f"/proposals/{proposal_id}/delete", data={"delete-version": version_on(page, "delete-")})
    assert response.status_code == 303
    assert count(app, Attachment) == 0 and files_on_disk(app) == []


def test_an_empty_file_is_refused_in_words_a_clerk_uses(app):
    with app.test_request_context(), pytest.raises(storage.UploadError) as refused:
        storage.check_upload(FileStorage(io.BytesIO(b""), filename="to-trinh.pdf"))
    assert str(refused.value) == "Tệp to-trinh.pdf không có nội dung."  # not the programmer's "rỗng"
