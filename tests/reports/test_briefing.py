"""The briefing pack: its headline figures are the dashboard's for the same days; Word and PDF."""

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from app import clock
from app.directives.models import Directive
from app.extensions import db
from app.models import Meeting
from tests.dashboard.test_overview import block
from tests.directives.conftest import days
from tests.docjobs.fetch import fetch_document


@pytest.fixture
def meeting(app, seeded, users):
    """A meeting 20 days ago that concluded the seeded staffing directive and heard two proposals."""
    from app.proposals.models import Proposal

    with app.app_context():
        m = Meeting(title="Hội nghị giao ban tháng trước", held_on=days(-20), created_by_id=users["coordinator"].id)
        db.session.add(m)
        db.session.flush()
        db.session.get(Directive, seeded["directives"]["staffing"]).meeting_id = m.id
        for key in ("overdue", "on_time"):
            db.session.get(Proposal, seeded["proposals"][key]).meeting_id = m.id
        db.session.commit()
        return m.id


def tile_values(html: str) -> dict[str, tuple[str, str]]:
    """Each dashboard tile's label, and its value."""
    tiles = block(html, "dash-tiles", "</ul>")
    found = re.findall(r'data-tile="(\w+)">\s*<span class="tile-label">([^<]+)</span>.*?data-value>([^<]+)<', tiles, re.S)
    return {key: (label, value) for key, label, value in found}


def test_the_pack_states_the_dashboards_figures_for_the_same_days(app, meeting, as_user):
    client = as_user("leader")
    page = client.get(f"/reports/briefing/{meeting}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    start = days(-20)
    dashboard = client.get(f"/dashboard/?period=custom&from={start.isoformat()}&to={clock.today().isoformat()}")
    values = tile_values(dashboard.get_data(as_text=True))
    assert len(values) == 7
    for label, value in values.values():
        # The printed cell keeps a figure on one line (<span class="nw">, docs/documents.md).
        cell = re.search(f'<td>{re.escape(label)}</td><td class="num">(.*?)</td>', body)
        printed = re.sub("<[^>]+>", "", cell.group(1)) if cell else ""
        assert printed.split(" (")[0] == value, label
        if "%" in value:  # a printed rate carries the two counts it divides
            assert re.fullmatch(r"[\d,]+% \([\d.]+/[\d.]+\)", printed), printed
    assert "Kiện toàn tổ chức bộ máy" in body
    assert "Cầu tràn quá hạn" in body  # the meeting's proposal past its answer deadline
    assert "Cách tính các số liệu" in body


def test_the_pack_as_word_and_pdf(app, meeting, as_user):
    client = as_user("coordinator")
    docx = fetch_document(client, f"/reports/briefing/{meeting}.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Hồ sơ phục vụ hội nghị giao ban" in text
    pdf = fetch_document(client, f"/reports/briefing/{meeting}.pdf")
    assert pdf.status_code == 200
    assert "Các chỉ số chính" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)


def test_communes_cannot_open_the_pack(meeting, as_user):
    assert as_user("commune_b").get(f"/reports/briefing/{meeting}").status_code == 403
