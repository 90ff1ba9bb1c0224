"""A chosen file survives a failed validation: kept as a pending file of the sender, shown as
attached, handed to the proposal on the next save, and swept later when abandoned."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.attachments import pending
from app.extensions import db
from app.models import Attachment
from tests.proposals.test_form import new_form, valid_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _held_ids(body: str) -> list[str]:
    return re.findall(r'name="pending_keep" value="(\d+)" checked', body)


def test_a_file_chosen_before_a_validation_error_is_kept_and_attached_on_the_next_save(app, as_user):
    client = as_user("commune_a")
    key = new_form(client)
    refused = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, key, title="", attachments=[(io.BytesIO(PDF), "Tờ trình số 12.pdf")]))
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Tệp đã chọn, được giữ lại (không cần chọn lại)" in body and "Tờ trình số 12.pdf" in body
    held = _held_ids(body)
    assert len(held) == 1
    # Another commune cannot take it over by naming its id.
    other = as_user("commune_b")
    taken = other.post("/proposals/new", content_type="multipart/form-data",
                       data=valid_data(app, new_form(other), pending_keep=held))
    assert taken.status_code == 303
    with app.app_context():
        assert db.session.get(Attachment, int(held[0])).owner_type == pending.OWNER_TYPE
    saved = client.post("/proposals/new", content_type="multipart/form-data",
                        data=valid_data(app, key, pending_keep=held))
    assert saved.status_code == 303
    proposal_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("proposal", proposal_id)
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Tờ trình số 12.pdf" in page


def test_abandoned_pending_files_are_swept_after_a_day(app, as_user):
    client = as_user("commune_a")
    refused = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), title="", attachments=[(io.BytesIO(PDF), "Bỏ dở.pdf")]))
    held = int(_held_ids(refused.get_data(as_text=True))[0])
    with app.app_context():
        assert pending.sweep(clock.now() + timedelta(hours=23)) == 0
        assert pending.sweep(clock.now() + timedelta(hours=25)) == 1
        db.session.commit()
        assert db.session.scalar(select(Attachment).where(Attachment.id == held)) is None
