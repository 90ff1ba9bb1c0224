"""Reminders by hand (đôn đốc) on a directive page: to every unit that has not reported or to
the ones picked, with a message; a notification (e-mailed through the outbox) and a line on
each assignment's timeline; never twice within the setting's hours."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.directives.models import AssignmentEvent
from app.extensions import db
from app.models import Setting, User
from app.notifications.models import Notification


def _nudges(app, assignment_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AssignmentEvent.note).where(
            AssignmentEvent.assignment_id == assignment_id, AssignmentEvent.kind == "nudged")))


def _notified(app, username) -> list[str]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return list(db.session.scalars(select(Notification.title).where(
            Notification.recipient_id == user_id, Notification.kind == "assignment.nudged")))


def test_coordinator_reminds_every_unit_that_has_not_reported(app, users, login_as, make_directive, assign,
                                                              assignment_of):
    directive_id = make_directive(title="Rà soát đảng viên")
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku", "SXD"])
    reporter = login_as("department")
    page = reporter.get(f"/assignments/{assignment_of(directive_id, 'SXD')}").get_data(as_text=True)
    assert page  # SXD reports; the two communes do not
    reporter.post(f"/assignments/{assignment_of(directive_id, 'SXD')}/report",
                  data={"report-text": "Đã rà soát xong 80%", "report-percent": "80"})
    client = login_as("coordinator")
    body = client.get(f"/directives/{directive_id}").get_data(as_text=True)
    assert "Đôn đốc tất cả 2 đơn vị chưa báo cáo" in body
    response = client.post(f"/directives/{directive_id}/nudge", data={"to": "all", "message": "Gửi trước thứ Sáu."})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã đôn đốc 2 đơn vị (thông báo và thư điện tử)." in page
    ia_boong = assignment_of(directive_id, "Xã Ia Boòng")
    assert _nudges(app, ia_boong) == ["Gửi trước thứ Sáu."]
    assert _nudges(app, assignment_of(directive_id, "SXD")) == []
    assert _notified(app, users["commune_a"].username) == [
        "Văn phòng đôn đốc báo cáo: Rà soát đảng viên — Gửi trước thứ Sáu."]
    timeline = login_as("commune_a").get(f"/assignments/{ia_boong}").get_data(as_text=True)
    assert "Văn phòng đôn đốc báo cáo" in timeline and "Gửi trước thứ Sáu." in timeline

    # Again at once: nobody is reminded twice within the setting's hours.
    again = client.post(f"/directives/{directive_id}/nudge", data={"to": "all"})
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "2 đơn vị vừa được đôn đốc trong 24 giờ qua, không nhắc lại" in page
    assert len(_nudges(app, ia_boong)) == 1 and len(_notified(app, users["commune_a"].username)) == 1

    # After the gap (here the setting is lowered and the last reminder moved back), it goes out again.
    with app.app_context():
        db.session.merge(Setting(key="nudge_gap_hours", value="2"))
        for event in db.session.scalars(select(AssignmentEvent).where(AssignmentEvent.kind == "nudged")):
            event.created_at = clock.now() - timedelta(hours=3)
        db.session.commit()
    client.post(f"/directives/{directive_id}/nudge", data={"to": "all"})
    assert len(_nudges(app, ia_boong)) == 2


def test_coordinator_reminds_only_the_units_picked(app, users, login_as, make_directive, assign, assignment_of):
    directive_id = make_directive(title="Báo cáo sơ kết")
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku"])
    client = login_as("coordinator")
    picked = assignment_of(directive_id, "Phường Pleiku")
    response = client.post(f"/directives/{directive_id}/nudge", data={"to": "picked", "assignment_ids": [str(picked)]})
    assert response.status_code == 303
    assert len(_nudges(app, picked)) == 1 and _nudges(app, assignment_of(directive_id, "Xã Ia Boòng")) == []
    nothing = client.post(f"/directives/{directive_id}/nudge", data={"to": "picked"})
    assert nothing.status_code == 400
    assert "Chọn ít nhất một đơn vị chưa báo cáo để đôn đốc." in nothing.get_data(as_text=True)
