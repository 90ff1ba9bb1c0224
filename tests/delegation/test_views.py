"""The delegation screens per role: the Sở Xây dựng's head, its officer and co-officer, another
unit (404) and a unit with one account (as today)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.delegation.models import Delegation
from app.directives.models import ProgressReport
from app.extensions import db
from app.models import Unit

HX = {"HX-Request": "true"}


@pytest.fixture
def task(app, make_directive, assign, assignment_of):
    """An assignment of the Sở Xây dựng (with a team) and one of the Sở Nội vụ (one account)."""
    directive_id = make_directive(title="Rà soát quy hoạch xây dựng nông thôn mới",
                                  deadline=clock.today() + timedelta(days=20))
    assign(directive_id, ["SXD", "SNV"])
    return {"sxd": assignment_of(directive_id, "SXD"), "snv": assignment_of(directive_id, "SNV")}


def _assign(client, assignment_id, officer_id, co=(), deadline=""):
    data = {"assign-officer_id": str(officer_id), "assign-internal_deadline": deadline}
    if co:
        data["assign-co_officer_ids"] = [str(i) for i in co]
    return client.post(f"/delegation/assignments/{assignment_id}/assign", data=data, headers=HX)


def test_head_assigns_with_co_officer_and_internal_deadline(app, as_user, team, task):
    head = as_user("so.xd.truong")
    page = head.get(f"/assignments/{task['sxd']}").get_data(as_text=True)
    assert "Phân công trong đơn vị" in page and "Võ Thị Cúc" in page
    day = (clock.today() + timedelta(days=7)).strftime("%d/%m/%Y")
    response = _assign(head, task["sxd"], team["officer"], [team["officer2"]], day)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Trần Văn Minh" in html and day in html and "Đã giao việc cho cán bộ." in html
    with app.app_context():
        delegation = db.session.scalar(select(Delegation))
        assert delegation.officer_id == team["officer"]


def test_internal_deadline_after_the_official_one_is_refused_next_to_the_field(as_user, team, task):
    head = as_user("so.xd.truong")
    late = (clock.today() + timedelta(days=40)).strftime("%d/%m/%Y")
    response = _assign(head, task["sxd"], team["officer"], deadline=late)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Hạn nội bộ phải trước hạn chính thức" in html and late in html  # nothing typed is lost


def test_officer_drafts_head_approves_and_the_report_is_the_units(app, as_user, team, task):
    head, officer = as_user("so.xd.truong"), as_user("department")
    _assign(head, task["sxd"], team["officer"])
    home = officer.get("/").get_data(as_text=True)
    assert home.index("Việc của tôi") < home.index("Nhiệm vụ")  # first on the officer's home
    assert "Rà soát quy hoạch xây dựng nông thôn mới" in home
    page = officer.get(f"/assignments/{task['sxd']}").get_data(as_text=True)
    assert "Soạn dự thảo" in page and "Gửi báo cáo" not in page  # no way past the head
    refused = officer.post(f"/assignments/{task['sxd']}/report", data={"report-text": "x", "report-percent": "10"})
    assert refused.status_code in (400, 403)

    sent = officer.post(f"/delegation/assignments/{task['sxd']}/submit", headers=HX, data={
        "submit-kind": "report", "submit-text": "Đã rà soát 12/20 xã.", "submit-percent": "60"})
    assert sent.status_code == 200 and "Chờ lãnh đạo duyệt" in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ProgressReport)) is None

    head_home = head.get("/").get_data(as_text=True)
    assert "Dự thảo chờ duyệt" in head_home and "Rà soát quy hoạch" in head_home
    approved = head.post(f"/delegation/assignments/{task['sxd']}/approve", headers=HX)
    assert approved.headers["HX-Redirect"] == f"/assignments/{task['sxd']}"
    page = head.get(f"/assignments/{task['sxd']}").get_data(as_text=True)
    assert "Đã rà soát 12/20 xã." in page and "Lãnh đạo đơn vị duyệt dự thảo" in page
    with app.app_context():
        report = db.session.scalar(select(ProgressReport))
        assert (report.percent, report.author_id) == (60, team["head"])


def test_head_returns_with_a_note_and_the_officer_sees_it(as_user, team, task):
    head, officer = as_user("so.xd.truong"), as_user("department")
    _assign(head, task["sxd"], team["officer"])
    officer.post(f"/delegation/assignments/{task['sxd']}/submit", headers=HX,
                 data={"submit-kind": "completion", "submit-text": "Đã xong."})
    empty = head.post(f"/delegation/assignments/{task['sxd']}/return", headers=HX, data={"return-note": ""})
    assert empty.status_code == 400 and "Nhập nội dung cần sửa" in empty.get_data(as_text=True)
    head.post(f"/delegation/assignments/{task['sxd']}/return", headers=HX, data={"return-note": "Kèm biên bản."})
    page = officer.get(f"/assignments/{task['sxd']}").get_data(as_text=True)
    assert "Kèm biên bản." in page and "Lãnh đạo trả lại" in page


def test_co_officer_sees_the_item_but_cannot_submit(as_user, team, task):
    head, helper = as_user("so.xd.truong"), as_user("so.xd.cv2")
    _assign(head, task["sxd"], team["officer"], [team["officer2"]])
    assert "Việc của tôi" in helper.get("/my-work").get_data(as_text=True)
    assert "Rà soát quy hoạch" in helper.get("/my-work").get_data(as_text=True)
    page = helper.get(f"/assignments/{task['sxd']}")
    assert page.status_code == 200 and "Soạn dự thảo" not in page.get_data(as_text=True)
    refused = helper.post(f"/delegation/assignments/{task['sxd']}/submit", headers=HX,
                          data={"submit-kind": "report", "submit-text": "x", "submit-percent": "5"})
    assert refused.status_code == 403
    assert helper.post(f"/delegation/assignments/{task['sxd']}/assign", headers=HX,
                       data={"assign-officer_id": str(team["officer2"])}).status_code == 403


def test_other_units_get_404(as_user, team, task, make_proposal):
    other = as_user("department_other")
    assert _assign(other, task["sxd"], team["officer"]).status_code == 404
    proposal_id = make_proposal("assigned", lead="SXD")
    assert other.post(f"/delegation/proposals/{proposal_id}/assign", headers=HX,
                      data={"assign-officer_id": str(team["officer"])}).status_code == 404


def test_a_single_account_unit_works_as_today(as_user, team, task):
    lone = as_user("department_other")
    page = lone.get(f"/assignments/{task['snv']}").get_data(as_text=True)
    assert "Phân công trong đơn vị" not in page and "Gửi báo cáo" in page
    assert lone.post(f"/delegation/assignments/{task['snv']}/assign", headers=HX,
                     data={"assign-officer_id": "1"}).status_code == 403
    assert "Việc của tôi" not in lone.get("/").get_data(as_text=True).split("<main", 1)[-1]


def test_without_approval_the_officer_sends_at_once(app, as_user, team, task):
    with app.app_context():
        db.session.scalar(select(Unit).where(Unit.code == "SXD")).drafts_need_approval = False
        db.session.commit()
    head, officer = as_user("so.xd.truong"), as_user("department")
    _assign(head, task["sxd"], team["officer"])
    sent = officer.post(f"/delegation/assignments/{task['sxd']}/submit", headers=HX,
                        data={"submit-kind": "report", "submit-text": "Báo cáo ngay.", "submit-percent": "20"})
    assert sent.headers["HX-Redirect"] == f"/assignments/{task['sxd']}"
    with app.app_context():
        assert db.session.scalar(select(ProgressReport)).author_id == team["officer"]


def test_proposal_answer_through_the_head_and_the_commune_sees_only_the_answer(app, as_user, team, make_proposal):
    proposal_id = make_proposal("assigned", lead="SXD", deadline_days=20)
    head, officer, commune = as_user("so.xd.truong"), as_user("department"), as_user("commune_a")
    assert head.post(f"/delegation/proposals/{proposal_id}/assign", headers=HX,
                     data={"assign-officer_id": str(team["officer"])}).status_code == 200
    page = officer.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Soạn dự thảo" in page and f'action="/proposals/{proposal_id}/answer"' not in page
    officer.post(f"/delegation/proposals/{proposal_id}/submit", headers=HX, data={
        "submit-kind": "answer", "submit-text": "Đã bố trí vốn năm 2027.", "submit-outcome": "resolved"})
    head.post(f"/delegation/proposals/{proposal_id}/approve", headers=HX)
    seen = commune.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Đã bố trí vốn năm 2027." in seen
    assert "Lãnh đạo đơn vị" not in seen and "Phân công trong đơn vị" not in seen


def test_head_sees_the_units_items_by_officer(as_user, team, task):
    head = as_user("so.xd.truong")
    before = head.get("/my-work").get_data(as_text=True)
    waiting = before.split("Việc chưa giao cho cán bộ", 1)[1].split("Việc của đơn vị theo cán bộ", 1)[0]
    assert "Rà soát quy hoạch" in waiting and "Chưa phân công" in waiting
    _assign(head, task["sxd"], team["officer2"], deadline=(clock.today() + timedelta(days=2)).strftime("%d/%m/%Y"))
    page = head.get("/my-work").get_data(as_text=True)
    assert "Việc của đơn vị theo cán bộ" in page
    section = page.split("Võ Thị Cúc", 1)[1]
    assert "Rà soát quy hoạch" in section and "Sắp đến hạn" in section
    waiting = page.split("Việc chưa giao cho cán bộ", 1)[1].split("Việc của đơn vị theo cán bộ", 1)[0]
    assert "Rà soát quy hoạch" not in waiting


def test_admin_marks_a_head_and_the_units_approval_setting(app, as_user, users):
    admin = as_user("admin")
    officer = users["department"]
    response = admin.post(f"/admin/users/{officer.id}", data={
        "full_name": officer.full_name, "email": "", "role": "department", "unit_id": str(officer.unit_id),
        "unit_role": "head", "version": str(officer.version)})
    assert response.status_code == 303
    with app.app_context():
        from app.models import AuditEvent, User

        assert db.session.get(User, officer.id).unit_role == "head"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
        assert (event.before["unit_role"], event.after["unit_role"]) == ("officer", "head")
        unit = db.session.get(Unit, officer.unit_id)
        version = unit.version
    form = admin.get(f"/admin/units/{officer.unit_id}/edit", headers=HX).get_data(as_text=True)
    assert "phải được lãnh đạo đơn vị duyệt" in form
    response = admin.post(f"/admin/units/{officer.unit_id}/edit", headers=HX, data={
        "name": "Sở Xây dựng", "active": "y", "version": str(version)})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Unit, officer.unit_id).drafts_need_approval is False


def test_a_move_at_the_wrong_moment_is_409_with_the_panel(as_user, team, task):
    head = as_user("so.xd.truong")
    _assign(head, task["sxd"], team["officer"])
    response = head.post(f"/delegation/assignments/{task['sxd']}/approve", headers=HX)  # nothing waits
    assert response.status_code == 409
    assert "Việc đã thay đổi trong lúc bạn thao tác" in response.get_data(as_text=True)
