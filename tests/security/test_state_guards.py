"""Requests that pass access control but come in the wrong state change nothing."""

from app.extensions import db
from app.models import Attachment
from app.proposals.models import Proposal
from tests.security.world import build


def test_owner_cannot_delete_edit_or_strip_a_submitted_proposal(app, users, login_as):
    ids = build(app, users).ids
    client = login_as("commune_b")
    pid, aid = ids["proposal_id"], ids["attachment_id"]
    responses = [
        client.post(f"/proposals/{pid}/delete"),
        client.post(f"/proposals/{pid}/edit", data={"title": "Đổi tên trái phép", "content": "x", "field_id": ids["field_id"]}),
        client.post(f"/proposals/{pid}/files/{aid}/remove"),
    ]
    assert all(r.status_code in (303, 400, 409) for r in responses), [r.status_code for r in responses]
    with app.app_context():
        proposal = db.session.get(Proposal, pid)
        assert proposal is not None and proposal.title == "Đường liên thôn" and proposal.state == "assigned"
        assert db.session.get(Attachment, aid) is not None


def test_owner_can_delete_a_draft(app, users, login_as):
    ids = build(app, users).ids
    with app.app_context():
        version = db.session.get(Proposal, ids["draft_id"]).version
    response = login_as("commune_b").post(f"/proposals/{ids['draft_id']}/delete", data={"delete-version": version})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Proposal, ids["draft_id"]) is None
