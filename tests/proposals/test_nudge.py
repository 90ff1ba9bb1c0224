"""Reminding the lead department of an overdue answer by hand (đôn đốc)."""

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.notifications.models import Notification
from app.proposals import workflow
from tests.proposals.conftest import load


def _titles(app, username):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return list(db.session.scalars(select(Notification.title).where(
            Notification.recipient_id == user_id, Notification.kind == "proposal.nudged")))


def test_coordinator_reminds_the_lead_department_once_within_the_gap(app, users, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, title="Đường vào khu sản xuất", deadline_days=-3)
    client = as_user("coordinator")
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Đôn đốc Sở Xây dựng trả lời" in page
    response = client.post(f"/proposals/{proposal_id}/nudge", data={"nudge-message": "Đề nghị trả lời trong tuần."})
    assert response.status_code == 303
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Đã đôn đốc Sở Xây dựng trả lời (thông báo và thư điện tử)." in page
    timeline = page.split('id="timeline-h"', 1)[1]
    assert "Văn phòng đôn đốc trả lời" in timeline and "Đề nghị trả lời trong tuần." in timeline
    titles = _titles(app, users["department"].username)
    assert len(titles) == 1 and "Đường vào khu sản xuất" in titles[0] and "Đề nghị trả lời trong tuần." in titles[0]
    again = client.post(f"/proposals/{proposal_id}/nudge", data={}, headers={"HX-Request": "true"})
    assert again.status_code == 200
    assert "vừa được đôn đốc trong 24 giờ qua, không nhắc lại" in again.get_data(as_text=True)
    assert len(_titles(app, users["department"].username)) == 1
    assert [e.action for e in load(app, proposal_id).events].count("nudge") == 1


def test_a_proposal_not_overdue_cannot_be_nudged(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED, deadline_days=5)
    client = as_user("coordinator")
    assert "Đôn đốc Sở Xây dựng trả lời" not in client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    response = client.post(f"/proposals/{proposal_id}/nudge", data={})
    assert response.status_code == 409
    assert "Chỉ đôn đốc được kiến nghị đã quá hạn trả lời." in response.get_data(as_text=True)
