"""The office's queues: one state name, one overdue count, the "chưa đồng ý" queue, and
"Sắp đến hạn" on the list and on the department's home."""

from datetime import timedelta

from app import clock
from app.extensions import db
from app.models import User
from app.proposals import services, workflow
from app.proposals.models import Proposal
from tests.proposals.conftest import version_on


def _disagree(app, users, proposal_id, text="Chưa bố trí vốn như trả lời."):
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        services.give_feedback(proposal, db.session.get(User, users["commune_a"].id), workflow.DISAGREE, text)
        db.session.commit()


def test_received_proposal_is_called_received_on_its_page_the_inbox_and_the_list(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED, title="Đã được tiếp nhận")
    client = as_user("coordinator")
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    response = client.post(f"/proposals/{proposal_id}/receive", data={"receive-version": version_on(page, "receive-")})
    assert response.status_code == 303
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    header = page.split("<h1", 1)[1].split("</hgroup>", 1)[0]
    assert "Đã tiếp nhận" in header and "Đã gửi<" not in header
    listed = client.get("/proposals/").get_data(as_text=True).split("Đã được tiếp nhận", 1)[1].split("</tr>", 1)[0]
    assert "Đã tiếp nhận" in listed and ">Đã gửi<" not in listed
    inbox = client.get("/proposals/inbox").get_data(as_text=True).split("Đã được tiếp nhận", 1)[1].split("</tr>", 1)[0]
    assert "Đã tiếp nhận" in inbox
    commune_page = as_user("commune_a").get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Đã tiếp nhận" in commune_page.split("<h1", 1)[1].split("</hgroup>", 1)[0]


def test_coordinator_home_counts_every_overdue_proposal_the_panel_lists(app, make_proposal, as_user):
    old = make_proposal(workflow.ASSIGNED, title="Gửi từ năm trước, quá hạn", deadline_days=-20)
    make_proposal(workflow.ASSIGNED, title="Gửi tháng này, quá hạn", deadline_days=-1)
    with app.app_context():  # sent long before this month
        proposal = db.session.get(Proposal, old)
        proposal.submitted_at = proposal.sent_at = clock.now() - timedelta(days=400)
        db.session.commit()
    body = as_user("coordinator").get("/").get_data(as_text=True)
    headline = body.split("Kiến nghị đang quá hạn trả lời", 1)[1].split("</tr>", 1)[0]
    assert 'data-count="2"' in headline
    assert "Kiến nghị quá hạn trả lời <small>(2)</small>" in body
    link = headline.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    listed = as_user("coordinator").get(link).get_data(as_text=True)
    assert "Gửi từ năm trước, quá hạn" in listed and "Gửi tháng này, quá hạn" in listed


def test_disagreed_answers_are_a_queue_with_a_count_on_the_coordinator_home(app, users, make_proposal, as_user):
    waiting = make_proposal(workflow.ANSWERED, title="Xã chưa đồng ý")
    make_proposal(workflow.ANSWERED, title="Xã chưa có ý kiến")
    _disagree(app, users, waiting)
    client = as_user("coordinator")
    body = client.get("/").get_data(as_text=True)
    queue = body.split('data-panel="disagreed"', 1)[1].split("</section>", 1)[0]
    assert "Xã, phường chưa đồng ý với câu trả lời <small>(1)</small>" in queue
    assert "Xã chưa đồng ý" in queue and "Chưa bố trí vốn như trả lời." in queue
    assert "Xã chưa có ý kiến" not in queue
    # Opening the proposal (which marks the notification read) does not empty the queue.
    client.get(f"/proposals/{waiting}")
    assert "Xã, phường chưa đồng ý với câu trả lời <small>(1)</small>" in client.get("/").get_data(as_text=True)
    listed = client.get("/proposals/?feedback=disagree").get_data(as_text=True)
    assert "Xã chưa đồng ý" in listed and "Xã chưa có ý kiến" not in listed
    assert '<option value="disagree" selected>' in listed
    # Reopening decides it: the queue empties.
    with app.app_context():
        proposal = db.session.get(Proposal, waiting)
        services.reopen(proposal, db.session.get(User, users["coordinator"].id), "Yêu cầu trả lời lại.")
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Xã, phường chưa đồng ý với câu trả lời <small>(0)</small>" in home
    assert "Không có câu trả lời nào xã, phường chưa đồng ý." in home  # no passive "bị … chưa đồng ý"


def test_due_soon_filter_and_department_panel_agree(app, make_proposal, as_user):
    make_proposal(workflow.ASSIGNED, title="Hạn sau 2 ngày", deadline_days=2)
    make_proposal(workflow.ASSIGNED, title="Hạn hôm nay", deadline_days=0)
    make_proposal(workflow.ASSIGNED, title="Hạn sau 20 ngày", deadline_days=20)
    make_proposal(workflow.ASSIGNED, title="Đã quá hạn rồi", deadline_days=-1)
    make_proposal(workflow.ASSIGNED, title="Sở khác, hạn gần", lead="SNV", deadline_days=1)
    client = as_user("department")
    listed = client.get("/proposals/?timeliness=due_soon").get_data(as_text=True)
    assert "Hạn sau 2 ngày" in listed and "Hạn hôm nay" in listed
    assert "Hạn sau 20 ngày" not in listed and "Đã quá hạn rồi" not in listed and "Sở khác, hạn gần" not in listed
    assert '<option value="due_soon" selected>Sắp đến hạn trả lời</option>' in listed
    body = client.get("/").get_data(as_text=True)
    panel = body.split('data-panel="proposals-due-soon"', 1)[1].split("</section>", 1)[0]
    assert "Kiến nghị sắp đến hạn trả lời (trong 3 ngày tới) <small>(2)</small>" in panel
    assert "Hạn sau 2 ngày" in panel and "Hạn sau 20 ngày" not in panel and "Đã quá hạn rồi" not in panel
