"""The progress report form keeps a chosen file across a failed validation
(app/attachments/pending.py): shown as attached in the panel, attached to the report next time."""

import io
import re

from sqlalchemy import select

from app.directives.models import ProgressReport
from app.extensions import db
from app.models import Attachment
from tests.directives.conftest import PDF
from tests.directives.test_assignment_views import setup  # noqa: F401  (fixture)


def _held_ids(body: str) -> list[str]:
    return re.findall(r'name="pending_keep" value="(\d+)" checked', body)


def test_report_keeps_the_file_chosen_before_an_error(app, login_as, setup):  # noqa: F811
    client = login_as("commune_a")
    url = f"/assignments/{setup['mine']}/report"
    refused = client.post(url, htmx=True, content_type="multipart/form-data", data={
        "report-text": "Đã bầu bổ sung 2 ủy viên", "report-percent": "150",
        "report-files": (io.BytesIO(PDF), "Biên bản họp dân.pdf")})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Tệp đã chọn, được giữ lại (không cần chọn lại)" in body and "Biên bản họp dân.pdf" in body
    held = _held_ids(body)
    assert len(held) == 1
    saved = client.post(url, htmx=True, content_type="multipart/form-data", data={
        "report-text": "Đã bầu bổ sung 2 ủy viên", "report-percent": "60", "pending_keep": held})
    assert saved.status_code == 200 and "Biên bản họp dân.pdf" in saved.get_data(as_text=True)
    with app.app_context():
        report_id = db.session.scalar(select(ProgressReport.id))
        attachment = db.session.get(Attachment, int(held[0]))
        assert (attachment.owner_type, attachment.owner_id) == ("progress_report", report_id)
