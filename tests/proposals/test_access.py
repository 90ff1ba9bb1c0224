"""Who sees which proposal and who may act on it: 404 for what one may not see, 403 for
what one sees but may not do."""

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, User
from app.proposals import services, workflow
from app.proposals.models import Proposal
from tests.proposals.conftest import version_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def fetch(client, url):
    """GET url and close the response (file downloads hold the file open until closed)."""
    response = client.get(url)
    response.body = response.get_data()
    response.close()
    return response


def _attach(app, proposal_id, users, key="commune_a"):
    from app.attachments import storage

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        checked = storage.CheckedFile("Tờ trình đường liên thôn.pdf", "pdf", PDF)
        attachment = services.add_attachments(proposal, db.session.get(User, users[key].id), [checked])[0]
        db.session.commit()
        return attachment.id


@pytest.mark.parametrize(
    ("key", "status"),
    [("commune_a", 200), ("commune_b", 404), ("department", 200), ("department_other", 404),
     ("coordinator", 200), ("leader", 200), ("admin", 404)],
)
def test_who_sees_an_assigned_proposal_and_its_file(app, make_proposal, as_user, users, key, status):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SXD")
    attachment_id = _attach(app, proposal_id, users)
    client = as_user(key)
    page = client.get(f"/proposals/{proposal_id}")
    assert page.status_code == status
    download = fetch(client, f"/files/{attachment_id}")
    assert download.status_code == status
    if status == 200:
        assert "Đầu tư đường giao thông liên thôn" in page.get_data(as_text=True)
        assert download.body == PDF
        assert "attachment" in download.headers["Content-Disposition"]
        assert "T%E1%BB%9D%20tr%C3%ACnh" in download.headers["Content-Disposition"]  # the Vietnamese name
    else:
        assert "Đầu tư đường giao thông liên thôn" not in page.get_data(as_text=True)


def test_a_support_department_sees_but_cannot_answer(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SNV", supports=("SXD",))
    client = as_user("department")  # SXD: support only
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Trả lời kiến nghị" not in page
    assert "Ý kiến phối hợp" in page
    response = client.post(f"/proposals/{proposal_id}/answer", data={
        "answer-version": version_on(page, "note-"), "answer-outcome": "resolved", "answer-text": "Chúng tôi trả lời thay.",
    })
    assert response.status_code == 403
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.state == workflow.ASSIGNED and proposal.answer_text is None


def test_support_opinion_is_seen_by_the_lead_but_not_by_the_commune(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SNV", supports=("SXD",))
    support = as_user("department")
    response = support.post(f"/proposals/{proposal_id}/note", data={"note-text": "Sở Xây dựng thống nhất quy mô 2 tầng."})
    assert response.status_code == 303
    lead_page = as_user("department_other").get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Sở Xây dựng thống nhất quy mô 2 tầng." in lead_page
    assert "Ý kiến của đơn vị phối hợp" in lead_page
    commune_page = as_user("commune_a").get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Sở Xây dựng thống nhất quy mô 2 tầng." not in commune_page


def test_a_department_not_involved_gets_404_on_actions_too(make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, lead="SXD")
    client = as_user("department_other")
    assert client.post(f"/proposals/{proposal_id}/answer", data={"answer-text": "x"}).status_code == 404
    assert client.post(f"/proposals/{proposal_id}/note", data={"note-text": "x"}).status_code == 404


def test_drafts_are_private_to_their_commune(make_proposal, as_user):
    proposal_id = make_proposal(workflow.DRAFT)
    assert as_user("commune_a").get(f"/proposals/{proposal_id}").status_code == 200
    for key in ("coordinator", "leader", "commune_b", "department"):
        assert as_user(key).get(f"/proposals/{proposal_id}").status_code == 404, key


def test_a_commune_cannot_take_province_actions(app, make_proposal, as_user, users):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("commune_a")
    for action in ("receive", "return", "assign", "close", "reopen", "answer"):
        response = client.post(f"/proposals/{proposal_id}/{action}", data={})
        assert response.status_code == 403, action
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).state == workflow.SUBMITTED


def test_coordinator_cannot_edit_or_answer(make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED)
    client = as_user("coordinator")
    assert client.get(f"/proposals/{proposal_id}/edit").status_code == 403
    assert client.post(f"/proposals/{proposal_id}/answer", data={}).status_code == 403
    assert client.get("/proposals/new").status_code == 403


def test_admin_sees_no_proposals(app, make_proposal, as_user):
    make_proposal(workflow.SUBMITTED)
    client = as_user("admin")
    assert client.get("/proposals/").status_code == 403
    assert "Kiến nghị" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin", User.username == "quantri"))
        count = db.session.scalar(select(func.count()).select_from(services.visible_proposals(admin).subquery()))
    assert count == 0


def test_list_scopes_by_role(make_proposal, as_user):
    own = make_proposal(workflow.SUBMITTED, title="Kiến nghị của Ia Boòng")
    other = make_proposal(workflow.ASSIGNED, commune="commune_b", title="Kiến nghị của Pleiku", lead="SNV")
    make_proposal(workflow.DRAFT, commune="commune_b", title="Nháp của Pleiku")

    def titles(key):
        body = as_user(key).get("/proposals/").get_data(as_text=True)
        return {t for t in ("Kiến nghị của Ia Boòng", "Kiến nghị của Pleiku", "Nháp của Pleiku") if t in body}

    assert titles("commune_a") == {"Kiến nghị của Ia Boòng"}
    assert titles("commune_b") == {"Kiến nghị của Pleiku", "Nháp của Pleiku"}
    assert titles("department_other") == {"Kiến nghị của Pleiku"}
    assert titles("department") == set()
    assert titles("coordinator") == titles("leader") == {"Kiến nghị của Ia Boòng", "Kiến nghị của Pleiku"}
    assert own != other


def test_list_requires_login(client):
    response = client.get("/proposals/?q=truong")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_files_of_another_communes_draft_are_404(app, make_proposal, as_user, users):
    proposal_id = make_proposal(workflow.DRAFT)
    attachment_id = _attach(app, proposal_id, users)
    assert fetch(as_user("commune_b"), f"/files/{attachment_id}").status_code == 404
    assert fetch(as_user("coordinator"), f"/files/{attachment_id}").status_code == 404
    assert fetch(as_user("commune_a"), f"/files/{attachment_id}").status_code == 200
    with app.app_context():
        assert db.session.get(Attachment, attachment_id).owner_type == "proposal"


def test_upload_through_the_form_is_served_only_to_who_may_see(app, as_user, users):
    from tests.proposals.conftest import field_id

    client = as_user("commune_a")
    page = client.get("/proposals/new").get_data(as_text=True)
    key = __import__("re").search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/proposals/new", data={
        "title": "Sửa chữa trạm y tế", "content": "Trạm xuống cấp.", "field_id": field_id(app, "Y tế (trạm y tế)"),
        "intent": "submit", "idempotency_key": key,
        "attachments": [(io.BytesIO(PDF), "Khái toán.pdf"), (io.BytesIO(b"\x89PNG\r\n\x1a\n...."), "Ảnh hiện trạng.png")],
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        files = list(db.session.scalars(select(Attachment).where(Attachment.owner_type == "proposal")))
    assert sorted(f.original_name for f in files) == ["Khái toán.pdf", "Ảnh hiện trạng.png"]
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Khái toán.pdf" in detail and "Ảnh hiện trạng.png" in detail
    assert fetch(as_user("commune_b"), f"/files/{files[0].id}").status_code == 404
    assert fetch(as_user("coordinator"), f"/files/{files[0].id}").status_code == 200
