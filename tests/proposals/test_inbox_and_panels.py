"""Home-page panels and the coordinator's inbox with its bulk actions."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.proposals import workflow
from tests.proposals.conftest import load, unit_id


def test_coordinator_home_shows_the_inbox_and_overdue(make_proposal, as_user):
    make_proposal(workflow.SUBMITTED, title="Chờ phân công")
    make_proposal(workflow.ASSIGNED, title="Đã quá hạn", deadline_days=-5)
    make_proposal(workflow.ASSIGNED, title="Còn trong hạn", deadline_days=5)
    body = as_user("coordinator").get("/").get_data(as_text=True)
    inbox = body.split('id="proposal-inbox"', 1)[1].split("</section>", 1)[0]
    assert "Chờ phân công" in inbox and "Đã quá hạn" not in inbox
    overdue = body.split("Kiến nghị quá hạn trả lời", 1)[1]
    assert "Đã quá hạn" in overdue and "Quá hạn 5 ngày" in overdue and "Còn trong hạn" not in overdue


def test_department_queue_lists_lead_and_support_work_due_soonest_first(make_proposal, as_user):
    make_proposal(workflow.ASSIGNED, title="Chủ trì, hạn xa", lead="SXD", deadline_days=20)
    make_proposal(workflow.ASSIGNED, title="Phối hợp, hạn gần", lead="SNV", supports=("SXD",), deadline_days=2)
    make_proposal(workflow.ASSIGNED, title="Việc của Sở Nội vụ", lead="SNV")
    make_proposal(workflow.ANSWERED, title="Đã trả lời rồi", lead="SXD")
    body = as_user("department").get("/").get_data(as_text=True)
    queue = body.split("Kiến nghị đơn vị cần xử lý", 1)[1]
    assert queue.index("Phối hợp, hạn gần") < queue.index("Chủ trì, hạn xa")
    assert "Việc của Sở Nội vụ" not in queue and "Đã trả lời rồi" not in queue
    assert "Sắp đến hạn (còn 2 ngày)" in queue
    assert "Kiến nghị đơn vị cần xử lý <small>(2)</small>" in body  # one led, one supported


def test_department_queue_shows_the_soonest_of_both_halves_and_counts_all(make_proposal, as_user):
    """The panel takes the first rows of what the unit leads and of what it supports: the ten
    soonest of both together, whichever half they come from, and a total of everything."""
    for day in range(12):
        make_proposal(workflow.ASSIGNED, title=f"Chủ trì số {day + 1:02d}", lead="SXD", deadline_days=10 + day)
    for number, days in enumerate((1, 5, 30), start=1):
        make_proposal(workflow.ASSIGNED, title=f"Phối hợp số {number:02d}", lead="SNV", supports=("SXD",),
                      deadline_days=days)
    body = as_user("department").get("/").get_data(as_text=True)
    assert "Kiến nghị đơn vị cần xử lý <small>(15)</small>" in body
    queue = body.split("Kiến nghị đơn vị cần xử lý", 1)[1].split("</section>", 1)[0]
    shown = [line.split(">", 1)[1] for line in queue.split("</a>") if "số " in line.rsplit(">", 1)[-1]]
    # Deadlines: support 1, 5 and 30 days away, lead 10 to 21: the ten soonest.
    expected = ["Phối hợp số 01", "Phối hợp số 02"] + [f"Chủ trì số {n:02d}" for n in range(1, 9)]
    assert [title.rsplit(">", 1)[-1] for title in shown] == expected


def test_commune_home_puts_what_waits_for_it_first(make_proposal, as_user):
    make_proposal(workflow.SUBMITTED, title="Đã gửi đi")
    make_proposal(workflow.RETURNED, title="Bị trả lại")
    make_proposal(workflow.SUBMITTED, commune="commune_b", title="Của phường khác")
    body = as_user("commune_a").get("/").get_data(as_text=True)
    panel = body.split("Kiến nghị của đơn vị", 1)[1]
    assert panel.index("Bị trả lại") < panel.index("Đã gửi đi")
    assert "1 kiến nghị bị trả lại cần bổ sung." in panel
    assert "Của phường khác" not in body


def test_leader_home_counts_by_state(make_proposal, as_user):
    make_proposal(workflow.SUBMITTED)
    make_proposal(workflow.ASSIGNED)
    make_proposal(workflow.ASSIGNED)
    make_proposal(workflow.DRAFT)
    body = as_user("leader").get("/").get_data(as_text=True)
    panel = body.split("Kiến nghị theo trạng thái", 1)[1].split("</section>", 1)[0]
    assert '<a href="/proposals/?state=assigned">Đã chuyển xử lý</a></td>\n          <td class="num">2</td>' in panel
    assert "Nháp" not in panel


def test_bulk_assign_same_field_to_one_department(app, make_proposal, as_user):
    first = make_proposal(workflow.SUBMITTED, title="Đường thôn 1", field="Giao thông")
    second = make_proposal(workflow.SUBMITTED, title="Đường thôn 2", field="Giao thông", commune="commune_b")
    client = as_user("coordinator")
    response = client.post("/proposals/bulk", htmx=True, data={
        "bulk-ids": [first, second], "bulk-lead_unit_id": unit_id(app, "SXD"), "bulk-answer_deadline": "",
        "intent": "assign"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="proposal-inbox"')
    assert "Đã chuyển 2 kiến nghị cho Sở Xây dựng." in body
    assert "Đường thôn 1" not in body  # no longer waiting
    for proposal_id in (first, second):
        proposal = load(app, proposal_id)
        assert (proposal.state, proposal.lead_unit.code) == (workflow.ASSIGNED, "SXD")
        assert proposal.answer_deadline is not None
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "proposal.assign")).all() == [
            "proposal.assign", "proposal.assign"]


def test_bulk_assign_refuses_mixed_fields_and_keeps_the_ticks(app, make_proposal, as_user):
    road = make_proposal(workflow.SUBMITTED, title="Đường thôn", field="Giao thông")
    canal = make_proposal(workflow.SUBMITTED, title="Kênh mương", field="Thủy lợi")
    client = as_user("coordinator")
    response = client.post("/proposals/bulk", data={
        "bulk-ids": [road, canal], "bulk-lead_unit_id": unit_id(app, "SXD"), "intent": "assign"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Chỉ giao cùng lúc các kiến nghị thuộc cùng một lĩnh vực." in body
    assert f'value="{road}" id="inbox-{road}" checked' in body and f'value="{canal}" id="inbox-{canal}" checked' in body
    assert load(app, road).state == load(app, canal).state == workflow.SUBMITTED


def test_bulk_assign_needs_a_department_and_a_real_selection(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    assigned = make_proposal(workflow.ASSIGNED)
    client = as_user("coordinator")
    no_unit = client.post("/proposals/bulk", data={"bulk-ids": [proposal_id], "intent": "assign"})
    assert no_unit.status_code == 400 and "Chọn đơn vị chủ trì." in no_unit.get_data(as_text=True)
    commune_as_lead = client.post("/proposals/bulk", data={
        "bulk-ids": [proposal_id], "bulk-lead_unit_id": unit_id(app, "Phường Pleiku"), "intent": "assign"})
    assert commune_as_lead.status_code == 400
    assert "Chọn đơn vị chủ trì là một cơ quan cấp tỉnh" in commune_as_lead.get_data(as_text=True)
    not_waiting = client.post("/proposals/bulk", data={
        "bulk-ids": [assigned], "bulk-lead_unit_id": unit_id(app, "SXD"), "intent": "assign"})
    assert not_waiting.status_code == 400
    nothing = client.post("/proposals/bulk", data={"bulk-lead_unit_id": unit_id(app, "SXD"), "intent": "assign"})
    assert nothing.status_code == 400 and "Chọn ít nhất một kiến nghị." in nothing.get_data(as_text=True)
    assert load(app, proposal_id).state == workflow.SUBMITTED


def test_bulk_receive_without_javascript_redirects(app, make_proposal, as_user):
    first = make_proposal(workflow.SUBMITTED)
    second = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    response = client.post("/proposals/bulk", data={"bulk-ids": [first, second], "intent": "receive"})
    assert response.status_code == 303 and response.headers["Location"] == "/proposals/inbox"
    page = client.get("/proposals/inbox").get_data(as_text=True)
    assert "Đã tiếp nhận 2 kiến nghị." in page and page.count("Đã tiếp nhận</span>") == 2
    assert "<h1>Tiếp nhận, phân công kiến nghị</h1>" in page  # not the "inbox" of English software
    assert load(app, first).received_at is not None


def test_bulk_is_for_the_coordinator_only(make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    for key in ("leader", "department", "commune_a"):
        assert as_user(key).post("/proposals/bulk", data={"bulk-ids": [proposal_id], "intent": "receive"}).status_code == 403
        assert as_user(key).get("/proposals/inbox").status_code == 403
