"""The directive form keeps a chosen file across a failed validation (app/attachments/pending.py):
shown as attached, then attached to the directive by the next save, new or edited."""

import io
import re

from app.extensions import db
from app.models import Attachment
from tests.directives.conftest import PDF
from tests.directives.test_directive_views import _field_id, _form


def _held_ids(body: str) -> list[str]:
    return re.findall(r'name="pending_keep" value="(\d+)" checked', body)


def test_new_directive_keeps_the_file_chosen_before_an_error(app, login_as):
    client = login_as("coordinator")
    refused = client.post("/directives/new", content_type="multipart/form-data",
                          data=_form(field_id=_field_id(app), title="",
                                     files=(io.BytesIO(PDF), "Thông báo kết luận 12.pdf")))
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Tệp đã chọn, được giữ lại (không cần chọn lại)" in body and "Thông báo kết luận 12.pdf" in body
    held = _held_ids(body)
    assert len(held) == 1
    saved = client.post("/directives/new", content_type="multipart/form-data",
                        data=_form(field_id=_field_id(app), pending_keep=held))
    assert saved.status_code == 303
    directive_id = int(saved.headers["Location"].split("/")[2])
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("directive", directive_id)
    assert "Thông báo kết luận 12.pdf" in client.get(f"/directives/{directive_id}").get_data(as_text=True)


def test_edited_directive_keeps_the_file_chosen_before_an_error(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    refused = client.post(f"/directives/{directive_id}/edit", content_type="multipart/form-data",
                          data=_form(field_id=_field_id(app), version="1", title="",
                                     files=(io.BytesIO(PDF), "Phụ lục.pdf")))
    assert refused.status_code == 400
    held = _held_ids(refused.get_data(as_text=True))
    assert len(held) == 1
    saved = client.post(f"/directives/{directive_id}/edit", content_type="multipart/form-data",
                        data=_form(field_id=_field_id(app), version="1", pending_keep=held))
    assert saved.status_code == 303
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("directive", directive_id)
