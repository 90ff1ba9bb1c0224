"""Each proposal event notifies exactly the users issue 6 lists, once, and no one else.

Every unit that hears of something has two active accounts and a disabled one (skipped);
the other commune, the uninvolved department (SNV), the leaders and the admin hear nothing
unless listed.
"""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.proposals import notices, workflow
from app.proposals import services as proposal_services
from app.proposals.models import Proposal
from tests.notifications.event_helpers import (
    COMMUNE_A,
    COORDINATORS,
    expect,
    get,
    last_notification_id,
    news_since,
    notifications_since,
    unit,
    walk_proposal,
)

LEAD = ("department", "department2")


def act(app, proposal_id, fn):
    """Run fn(proposal) in an app context and commit, as a view would."""
    with app.app_context():
        fn(db.session.get(Proposal, proposal_id))
        db.session.commit()


def test_a_submitted_proposal_tells_the_coordinators(app, people):
    proposal_id = walk_proposal(app, people, workflow.DRAFT)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.submit(p, get(people, "commune_a")))
    assert news_since(app, since) == expect(people, notices.SUBMITTED, *COORDINATORS)
    [first, _second] = notifications_since(app, since)
    assert first.title == "Kiến nghị mới của xã Ia Boòng: Sửa chữa trường tiểu học thôn 3"
    assert (first.link, first.object_type, first.object_id) == (f"/proposals/{proposal_id}", "proposal", proposal_id)


def test_a_resubmitted_proposal_says_so(app, people):
    proposal_id = walk_proposal(app, people, workflow.RETURNED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.submit(p, get(people, "commune_a")))
    assert news_since(app, since) == expect(people, notices.SUBMITTED, *COORDINATORS)
    assert notifications_since(app, since)[0].title.startswith("Xã Ia Boòng gửi lại kiến nghị đã bổ sung")


def test_a_returned_proposal_tells_its_commune(app, people):
    proposal_id = walk_proposal(app, people, workflow.SUBMITTED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.return_to_commune(p, get(people, "coordinator"), "Thiếu dự toán."))
    assert news_since(app, since) == expect(people, notices.RETURNED, *COMMUNE_A)
    assert notifications_since(app, since)[0].title == "Kiến nghị “Sửa chữa trường tiểu học thôn 3” được trả lại để bổ sung"


def test_an_assignment_tells_the_lead_and_support_departments(app, people):
    proposal_id = walk_proposal(app, people, workflow.SUBMITTED)
    since = last_notification_id(app)

    def assign(p):
        proposal_services.assign(p, get(people, "coordinator"), unit("SXD"), [unit("STC")])

    act(app, proposal_id, assign)
    assert news_since(app, since) == expect(people, notices.ASSIGNED, *LEAD, "support")
    titles = {n.recipient_id: n.title for n in notifications_since(app, since)}
    assert titles[people["department"]].startswith("Đơn vị được giao chủ trì trả lời kiến nghị của xã Ia Boòng")
    assert titles[people["support"]].startswith("Đơn vị được giao phối hợp xử lý kiến nghị của xã Ia Boòng")
    with app.app_context():
        deadline = db.session.get(Proposal, proposal_id).answer_deadline
    assert titles[people["department"]].endswith(f"hạn {deadline:%d/%m/%Y}")


def test_a_reassignment_tells_only_the_departments_newly_given_it(app, people):
    proposal_id = walk_proposal(app, people, workflow.ASSIGNED)  # SXD leads, STC supports
    since = last_notification_id(app)

    def add_snv(p):
        proposal_services.assign(p, get(people, "coordinator"), unit("SXD"), [unit("STC"), unit("SNV")],
                                 deadline=p.answer_deadline)

    act(app, proposal_id, add_snv)
    assert news_since(app, since) == expect(people, notices.ASSIGNED, "department_other")

    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.assign(  # SNV now leads, SXD supports
        p, get(people, "coordinator"), unit("SNV"), [unit("SXD")], deadline=p.answer_deadline))
    assert news_since(app, since) == expect(people, notices.ASSIGNED, "department_other", *LEAD)


def test_an_answer_tells_the_commune_and_the_coordinators(app, people):
    proposal_id = walk_proposal(app, people, workflow.ASSIGNED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.answer(
        p, get(people, "department"), workflow.EXPLAINED, "Đã giải trình."))
    assert news_since(app, since) == expect(people, notices.ANSWERED, *COMMUNE_A, *COORDINATORS)
    titles = {n.recipient_id: n.title for n in notifications_since(app, since)}
    assert titles[people["commune_a"]] == ("Kiến nghị “Sửa chữa trường tiểu học thôn 3” đã được trả lời: "
                                           "Giải trình, cung cấp thông tin")
    assert titles[people["coordinator"]].startswith("Sở Xây dựng đã trả lời kiến nghị")


def test_closing_tells_the_commune(app, people):
    proposal_id = walk_proposal(app, people, workflow.ANSWERED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.close(p, get(people, "coordinator")))
    assert news_since(app, since) == expect(people, notices.CLOSED, *COMMUNE_A)


def test_reopening_tells_the_lead_department_whose_answer_it_was(app, people):
    proposal_id = walk_proposal(app, people, workflow.CLOSED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.reopen(p, get(people, "coordinator"), "Chưa nêu rõ nguồn vốn."))
    assert news_since(app, since) == expect(people, notices.REOPENED, *LEAD)
    assert "được mở lại, cần trả lời lại" in notifications_since(app, since)[0].title


def test_commune_disagreeing_tells_the_coordinators_and_agreeing_tells_no_one(app, people):
    proposal_id = walk_proposal(app, people, workflow.ANSWERED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.give_feedback(p, get(people, "commune_a"), workflow.AGREE))
    assert news_since(app, since) == {}
    act(app, proposal_id, lambda p: proposal_services.give_feedback(
        p, get(people, "commune_a"), workflow.DISAGREE, "Kinh phí bố trí chưa đủ."))
    assert news_since(app, since) == expect(people, notices.FEEDBACK_DISAGREED, *COORDINATORS)
    assert notifications_since(app, since)[0].title.startswith("Xã Ia Boòng chưa đồng ý với câu trả lời kiến nghị")


def test_a_leader_comment_tells_the_lead_and_support_departments(app, people):
    proposal_id = walk_proposal(app, people, workflow.ASSIGNED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.add_note(p, get(people, "leader"), "Ưu tiên trước mùa mưa."))
    assert news_since(app, since) == expect(people, notices.LEADER_COMMENT, *LEAD, "support")
    assert notifications_since(app, since)[0].title == \
        "Ý kiến chỉ đạo của Lương Văn Trọng về kiến nghị “Sửa chữa trường tiểu học thôn 3”"


def test_a_leader_comment_before_assignment_has_no_department_to_tell(app, people):
    proposal_id = walk_proposal(app, people, workflow.SUBMITTED)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.add_note(p, get(people, "leader"), "Đề nghị xem xét sớm."))
    assert news_since(app, since) == {}


@pytest.mark.parametrize(("key", "state"), [
    ("commune_a", workflow.ASSIGNED), ("coordinator", workflow.ASSIGNED), ("department", workflow.ASSIGNED),
    ("support", workflow.ASSIGNED),
])
def test_comments_and_opinions_notify_no_one(app, people, key, state):
    proposal_id = walk_proposal(app, people, state)
    since = last_notification_id(app)
    act(app, proposal_id, lambda p: proposal_services.add_note(p, get(people, key), "Trao đổi thêm."))
    assert news_since(app, since) == {}


def test_withdrawing_receiving_and_classifying_notify_no_one(app, people):
    received = walk_proposal(app, people, workflow.SUBMITTED)
    since = last_notification_id(app)
    act(app, received, lambda p: proposal_services.receive(p, get(people, "coordinator")))
    withdrawn = walk_proposal(app, people, workflow.SUBMITTED)
    with app.app_context():
        since = max(since, last_notification_id(app))
    act(app, withdrawn, lambda p: proposal_services.withdraw(p, get(people, "commune_a")))
    assert news_since(app, since) == {}


def test_the_event_and_its_notifications_share_one_transaction(app, people):
    proposal_id = walk_proposal(app, people, workflow.SUBMITTED)
    since = last_notification_id(app)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        proposal_services.return_to_commune(proposal, get(people, "coordinator"), "Thiếu dự toán.")
        db.session.rollback()
        assert db.session.get(Proposal, proposal_id).state == workflow.SUBMITTED
    assert news_since(app, since) == {}


def unread_in_bell(client) -> str | None:
    match = re.search(r'data-testid="unread-count">([^<]+)<', client.get("/notifications/bell", htmx=True).get_data(as_text=True))
    return match.group(1) if match else None


def test_through_the_site_the_bell_counts_the_news_and_opening_the_proposal_clears_it(app, people, login_as):
    proposal_id = walk_proposal(app, people, workflow.DRAFT)
    commune, coordinator = login_as("commune_a"), login_as("coordinator")
    assert unread_in_bell(coordinator) is None
    page = commune.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    version = re.search(r'name="submit-version" type="hidden" value="(\d+)"', page).group(1)
    assert commune.post(f"/proposals/{proposal_id}/submit", data={"submit-version": version}).status_code == 303
    assert unread_in_bell(coordinator) == "1"
    listing = coordinator.get("/notifications").get_data(as_text=True)
    assert "Kiến nghị mới của xã Ia Boòng: Sửa chữa trường tiểu học thôn 3" in listing
    notification_id = int(re.search(r'action="/notifications/(\d+)/open"', listing).group(1))
    opened = coordinator.post(f"/notifications/{notification_id}/open")
    assert (opened.status_code, opened.headers["Location"]) == (303, f"/proposals/{proposal_id}")
    assert unread_in_bell(coordinator) is None
    with app.app_context():
        from app.notifications.models import Notification

        other = db.session.scalar(select(Notification).where(Notification.recipient_id == people["coordinator2"]))
        assert other.read_at is None  # the other coordinator has not opened it


def test_opening_the_proposal_page_reads_its_news(app, people, login_as):
    proposal_id = walk_proposal(app, people, workflow.ANSWERED)  # commune_a heard of the answer
    other_id = walk_proposal(app, people, workflow.ANSWERED, title="Nâng cấp đường liên thôn")
    commune = login_as("commune_a")
    assert unread_in_bell(commune) == "2"
    assert commune.get(f"/proposals/{proposal_id}").status_code == 200
    assert unread_in_bell(commune) == "1"  # only the other proposal's news is left
    with app.app_context():
        from app.notifications.models import Notification

        left = db.session.scalars(select(Notification).where(
            Notification.recipient_id == people["commune_a"], Notification.read_at.is_(None))).all()
        assert [n.object_id for n in left] == [other_id]
