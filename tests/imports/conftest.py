"""Import fixtures: real .xlsx files built with openpyxl, uploads through the test client."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app import clock
from app.extensions import db, limiter
from app.imports.models import ImportBatch

PROPOSAL_HEADERS = [
    "Xã, phường", "Tiêu đề", "Nội dung", "Lĩnh vực", "Kinh phí đề nghị (đồng)", "Địa điểm (thôn, làng)",
    "Hội nghị (tên hoặc ngày họp)", "Đơn vị chủ trì", "Đơn vị phối hợp", "Hạn trả lời (ngày/tháng/năm)",
]
DIRECTIVE_HEADERS = [
    "Người chỉ đạo", "Chức vụ", "Trích yếu", "Nội dung", "Lĩnh vực",
    "Thời hạn (ngày/tháng/năm hoặc “thường xuyên”)", "Kỳ báo cáo (nhiệm vụ thường xuyên)",
    "Hội nghị (tên hoặc ngày họp)", "Đơn vị chủ trì", "Đơn vị phối hợp",
]
TOKEN_RE = re.compile(r"/imports/batches/([A-Za-z0-9_\-]+)")


def today() -> date:
    return clock.today()


def in_days(n: int) -> date:
    return today() + timedelta(days=n)


def xlsx(headers, rows, title="Dữ liệu", header_row: int = 1) -> bytes:
    """A workbook with headers in header_row and rows under it, values as given (dates stay dates)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for _ in range(header_row - 1):
        sheet.append(["Danh sách kiến nghị sau hội nghị giao ban"])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def upload(client, url: str, data: bytes, name: str = "kien-nghi.xlsx"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def token_of(response) -> str:
    """The batch token a successful upload redirected to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    match = TOKEN_RE.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def batch(app, token: str) -> ImportBatch:
    with app.app_context():
        item = db.session.scalar(select(ImportBatch).where(ImportBatch.token == token))
        db.session.expunge(item)
        return item


@pytest.fixture
def as_user(app, login_as):
    """as_user(key) -> a logged-in client, one per key, without tripping the login rate limit."""
    clients = {}

    def get(key: str):
        if key not in clients:
            with app.app_context():
                limiter.reset()
            clients[key] = login_as(key)
        return clients[key]

    return get


@pytest.fixture
def directive_for(app, users):
    """directive_for(units, deadline=..., title=...) -> (directive id, {unit code or name: assignment id})."""
    from app.directives import services
    from app.directives.models import Assignment, Directive
    from app.models import Field, Unit, User

    def make(units, *, title="Kiện toàn tổ chức bộ máy", deadline=None, ongoing=False):
        with app.app_context():
            coordinator = db.session.get(User, users["coordinator"].id)
            directive = services.create_directive(
                {
                    "issued_by_name": "Lương Văn Trọng", "title": title, "content": "Nội dung.",
                    "field_id": db.session.scalar(select(Field.id).where(Field.name == "Giao thông")),
                    "is_ongoing": ongoing, "deadline": None if ongoing else (deadline or in_days(30)),
                    "reporting_period": "monthly" if ongoing else None,
                },
                coordinator,
            )
            found = {ref: db.session.scalar(select(Unit).where((Unit.code == ref) | (Unit.name == ref))) for ref in units}
            services.assign_to_units(directive, [u.id for u in found.values()], "lead", coordinator)
            db.session.commit()
            ids = {
                ref: db.session.scalar(select(Assignment.id).where(
                    Assignment.directive_id == directive.id, Assignment.unit_id == unit.id))
                for ref, unit in found.items()
            }
            return db.session.get(Directive, directive.id).id, ids

    return make
