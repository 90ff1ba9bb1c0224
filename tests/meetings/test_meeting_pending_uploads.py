"""The meeting form keeps a chosen file across a failed validation (app/attachments/pending.py):
shown as attached, then attached to the meeting by the next save, new or edited."""

import io
import re

from app.extensions import db
from app.models import Attachment
from tests.directives.conftest import PDF
from tests.meetings.test_meeting_views import _create, _form


def _held_ids(body: str) -> list[str]:
    return re.findall(r'name="pending_keep" value="(\d+)" checked', body)


def test_new_meeting_keeps_the_minutes_chosen_before_an_error(app, login_as):
    client = login_as("coordinator")
    refused = client.post("/meetings/new", content_type="multipart/form-data",
                          data=_form(app, title="", files=(io.BytesIO(PDF), "Biên bản 24-9.pdf")))
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Tệp đã chọn, được giữ lại (không cần chọn lại)" in body and "Biên bản 24-9.pdf" in body
    held = _held_ids(body)
    assert len(held) == 1
    meeting_id = _create(client, app, pending_keep=held)
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("meeting", meeting_id)
    assert "Biên bản 24-9.pdf" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_edited_meeting_keeps_the_file_chosen_before_an_error(app, login_as):
    client = login_as("coordinator")
    meeting_id = _create(client, app)
    version = re.search(r'name="version"[^>]*value="(\d+)"',
                        client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)).group(1)
    refused = client.post(f"/meetings/{meeting_id}/edit", content_type="multipart/form-data",
                          data=_form(app, version=version, title="",
                                     files=(io.BytesIO(PDF), "Thông báo kết luận.pdf")))
    assert refused.status_code == 400
    held = _held_ids(refused.get_data(as_text=True))
    assert len(held) == 1
    saved = client.post(f"/meetings/{meeting_id}/edit", content_type="multipart/form-data",
                        data=_form(app, version=version, pending_keep=held))
    assert saved.status_code == 303
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("meeting", meeting_id)
