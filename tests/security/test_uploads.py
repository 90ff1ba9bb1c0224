"""Hostile uploads: wrong content behind a good name, traversal, empty files, duplicate names."""

import io
import os

import pytest
from sqlalchemy import select

from app.attachments import storage
from app.extensions import db
from app.models import Attachment
from tests.proposals.test_form import count, new_form, valid_data

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


class Upload:
    def __init__(self, name, data):
        self.filename, self.stream = name, io.BytesIO(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.pdf", SVG, "không đúng định dạng PDF"),
        ("anh.png", SVG, "không đúng định dạng PNG"),
        ("trang.pdf", b"<!doctype html><script>alert(1)</script>", "không đúng định dạng PDF"),
        ("bang.xlsx", b"PK\x03\x04not really a zip", "không đúng định dạng XLSX"),
        ("ve.svg", SVG, "Chỉ nhận tệp"),
        ("rong.pdf", b"", "không có nội dung"),
        ("khongcoduoi", PDF, "không có tên hoặc phần mở rộng"),
        ("", PDF, "không có tên"),
    ],
)
def test_storage_refuses_hostile_files(app, name, data, message):
    with app.test_request_context():
        with pytest.raises(storage.UploadError) as error:
            storage.check_upload(Upload(name, data))
        assert message in str(error.value)


def test_storage_refuses_a_file_over_the_limit(app):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    with app.test_request_context(), pytest.raises(storage.UploadError) as error:
        storage.check_upload(Upload("lon.pdf", PDF + b"x" * 2000))
    assert "vượt quá dung lượng" in str(error.value)


def test_traversal_in_a_name_is_cut_to_the_base_name_and_stored_under_a_random_name(app):
    with app.test_request_context():
        checked = storage.check_upload(Upload("../../../etc/passwd\\..\\tờ trình.pdf", PDF))
        assert checked.original_name == "tờ trình.pdf"
        attachment = storage.save(checked, "proposal", 1, None)
        db.session.commit()
        path = storage.path_of(attachment)
        assert os.path.dirname(path) == app.config["UPLOAD_FOLDER"]
        assert attachment.stored_name != checked.original_name and len(attachment.stored_name) == 36
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        assert not app.config["UPLOAD_FOLDER"].startswith(app.static_folder)


def test_two_files_with_the_same_name_are_both_kept_and_served_with_their_names(app, login_as):
    client = login_as("commune_a")
    files = [(io.BytesIO(PDF + b"%first"), "Tờ trình.pdf"), (io.BytesIO(PDF + b"%second"), "Tờ trình.pdf")]
    response = client.post("/proposals/new", content_type="multipart/form-data",
                           data=valid_data(app, new_form(client), attachments=files))
    assert response.status_code == 303
    with app.app_context():
        attachments = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        ids = [a.id for a in attachments]
        assert [a.original_name for a in attachments] == ["Tờ trình.pdf", "Tờ trình.pdf"]
        assert attachments[0].stored_name != attachments[1].stored_name
    bodies = []
    for attachment_id in ids:
        download = client.get(f"/files/{attachment_id}")
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh.pdf" in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        bodies.append(download.data)
        download.close()
    assert bodies[0].endswith(b"%first") and bodies[1].endswith(b"%second")
    # Another commune cannot fetch them.
    other = login_as("commune_b").get(f"/files/{ids[0]}")
    other.close()
    assert other.status_code == 404
    assert count(app) == 1
