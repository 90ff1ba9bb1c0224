"""Report tests share the dashboard's seeded province, plus helpers to open what they download."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting, Unit
from app.proposals import workflow
from tests.dashboard.conftest import (  # noqa: F401  (fixtures)
    as_user,
    assign,
    assignment_of,
    make_directive,
    make_proposal,
    seeded,
    set_assignment,
)


def docx_of(response) -> Document:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.data))


def xlsx_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)).active


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def table_texts(table) -> list[list[str]]:
    """Every row's cell texts (a merged group row gives its text once)."""
    out = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, cell.text))
        out.append([text for _tc, text in cells])
    return out


def doc_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend("\t".join(row) for row in table_texts(table))
    return "\n".join(parts)


@pytest.fixture
def meeting(app, make_proposal):  # noqa: F811 — the fixture imported above
    """The 24-9-2025 briefing, issued by Văn phòng Tỉnh ủy, with proposals in three fields."""

    def make(issuer: str = "TU-VP") -> int:
        with app.app_context():
            unit = db.session.scalar(select(Unit).where(Unit.code == issuer))
            row = Meeting(title="Hội nghị giao ban tháng 9", held_on=date(2025, 9, 24),
                          chair_name="Lương Văn Trọng", chair_title="Bí thư Tỉnh ủy", issuing_unit_id=unit.id)
            db.session.add(row)
            db.session.commit()
            meeting_id = row.id
        make_proposal(workflow.CLOSED, title="Đường liên thôn Ia Boòng", field="Giao thông", meeting_id=meeting_id,
                      amount=18_000_000_000)
        make_proposal(workflow.ASSIGNED, title="Cầu tràn làng Kon Hrách", field="Giao thông", meeting_id=meeting_id,
                      deadline_days=-4, commune="commune_b")
        make_proposal(workflow.ANSWERED, title="Kênh mương thôn 3", field="Thủy lợi", lead="SNV", meeting_id=meeting_id)
        make_proposal(workflow.SUBMITTED, title="Trụ sở Đảng ủy xã", field="Trụ sở làm việc", meeting_id=meeting_id)
        make_proposal(workflow.WITHDRAWN, title="Đường nội đồng", field="Giao thông", meeting_id=meeting_id)
        make_proposal(workflow.DRAFT, title="Nháp chưa gửi", field="Giao thông", meeting_id=meeting_id)
        make_proposal(workflow.SUBMITTED, title="Không gắn hội nghị", field="Giao thông")
        return meeting_id

    return make
