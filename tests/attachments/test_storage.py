"""Uploaded files on disk: long names."""

import io
import os

import pytest
from sqlalchemy import func, select

from app.attachments import storage
from app.extensions import db
from app.models import Attachment
from tests.directives.conftest import PDF, assign, assignment_of, make_directive  # noqa: F401  (fixtures)
from tests.proposals.test_form import new_form, valid_data

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
