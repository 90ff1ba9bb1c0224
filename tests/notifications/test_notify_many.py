"""notify_many(): notify() for many items in one bulk insert (the directive broadcast uses it)."""

import pytest
from sqlalchemy import select

from app.directives.models import Directive
from app.extensions import db
from app.models import Field, Unit
from app.notifications import Delivery, notify_many
from app.notifications.models import EMAIL_PENDING, EMAIL_SENT, EMAIL_SKIPPED
from tests.notifications.conftest import notifications_of, set_user


def test_one_row_per_item_and_active_recipient(app, users):
    set_user(app, users["commune_b"], active=False)
    a, b, dept = users["commune_a"], users["commune_b"], users["department"]
    with app.app_context():
        created = notify_many([
            Delivery([a, a.id, b], "assignment.assigned", "Nhiệm vụ  mới: A", "/assignments/1", "assignment", 1),
            ([dept.id], "assignment.assigned", "Nhiệm vụ mới: B", "/assignments/2", "assignment", 2),
            Delivery([], "assignment.assigned", "Không ai", "/assignments/3"),
        ])
        db.session.commit()
    assert created == 2
    [row] = notifications_of(app, a)
    assert (row.kind, row.title, row.link, row.object_type, row.object_id) == (
        "assignment.assigned", "Nhiệm vụ mới: A", "/assignments/1", "assignment", 1)
    assert row.read_at is None and row.created_at.tzinfo is not None and row.email_state == EMAIL_SKIPPED
    assert [n.object_id for n in notifications_of(app, dept)] == [2]
    assert notifications_of(app, b) == []  # disabled account skipped


def test_nothing_for_no_one(app):
    with app.app_context():
        assert notify_many([]) == 0
        assert notify_many([Delivery([999999], "k", "Tiêu đề", "/x")]) == 0


def test_links_must_stay_on_this_site(app, users):
    with app.app_context(), pytest.raises(ValueError):
        notify_many([Delivery([users["commune_a"]], "k", "Tiêu đề", "https://example.com/x")])


def test_a_broadcast_through_the_site_e_mails_after_the_response(mail_app, smtp, users, login_as):
    """With mail on, the broadcast's notifications are pending and the request sends them once answered."""
    set_user(mail_app, users["commune_a"], email="xa.a@gialai.gov.vn", email_preference="immediate")
    set_user(mail_app, users["commune_b"], email="xa.b@gialai.gov.vn", email_preference="digest")
    with mail_app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Giao thông"))
        directive = Directive(title="Sửa đường liên xã trước mùa mưa", content="Khẩn trương.", field_id=field_id,
                              created_by_id=users["coordinator"].id)
        db.session.add(directive)
        db.session.commit()
        directive_id = directive.id
        picked = [str(db.session.scalar(select(Unit.id).where(Unit.name == name))) for name in ("Xã Ia Boòng", "Phường Pleiku")]
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/directives/{directive_id}/assign",
                                data={"scope": "picked", "role": "lead", "unit_ids": picked})
    assert response.status_code == 303
    response.close()
    [immediate] = notifications_of(mail_app, users["commune_a"])
    assert immediate.email_state == EMAIL_SENT
    assert [m["Subject"] for m in smtp.inbox.to("xa.a@gialai.gov.vn")] == [
        "[Giao Ban] Nhiệm vụ mới (chủ trì): Sửa đường liên xã trước mùa mưa, thường xuyên"]
    [digest] = notifications_of(mail_app, users["commune_b"])
    assert digest.email_state == EMAIL_PENDING and smtp.inbox.to("xa.b@gialai.gov.vn") == []  # waits for the digest
