"""The answer form keeps the signed document chosen across a failed validation
(app/attachments/pending.py): shown as attached, attached to the answer on the next send."""

import io
import re

from app.extensions import db
from app.models import Attachment
from app.proposals import workflow
from tests.proposals.conftest import version_on
from tests.proposals.test_actions import page_of


def _held_ids(body: str) -> list[str]:
    return re.findall(r'name="pending_keep" value="(\d+)" checked', body)


def test_answer_keeps_the_signed_document_chosen_before_an_error(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SXD")
    client = as_user("department")
    page = page_of(client, proposal_id)
    refused = client.post(f"/proposals/{proposal_id}/answer", content_type="multipart/form-data", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "in_progress", "answer-text": "Đang lập dự án.",
        "answer-document": (io.BytesIO(b"%PDF-1.7 signed"), "Công văn trả lời số 45.pdf")})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Nhập thời gian dự kiến hoàn thành." in body
    assert "Tệp đã chọn, được giữ lại (không cần chọn lại)" in body and "Công văn trả lời số 45.pdf" in body
    held = _held_ids(body)
    assert len(held) == 1
    # Kept as the department's pending file until the answer is sent.
    with app.app_context():
        assert db.session.get(Attachment, int(held[0])).owner_type == "pending"
    saved = client.post(f"/proposals/{proposal_id}/answer", content_type="multipart/form-data", data={
        "answer-version": version_on(page, "answer-"), "answer-outcome": "in_progress", "answer-planned_on": "30/06/2026",
        "answer-text": "Đang lập dự án.", "pending_keep": held})
    assert saved.status_code == 303
    with app.app_context():
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("proposal_answer", proposal_id)
    assert "Công văn trả lời số 45.pdf" in page_of(as_user("commune_a"), proposal_id)
