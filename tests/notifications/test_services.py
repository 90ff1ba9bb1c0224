"""notify() and the recipient helpers the features call."""

import pytest
from sqlalchemy import func, select, update
from werkzeug.routing import BuildError

from app.extensions import db
from app.models import Unit, User
from app.notifications import coordinators, mark_object_read, notify, path_for, users_of_unit
from app.notifications.models import EMAIL_PENDING, EMAIL_SKIPPED, Notification
from app.notifications.services import _add_unless_duplicate, unread_count
from tests.notifications.conftest import notifications_of, set_user


def count_notifications(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Notification))


def test_notify_creates_one_row_per_recipient(app, users):
    with app.app_context():
        created = notify(
            [users["department"], users["department_other"].id, users["department"].id],
            "proposal.assigned", "Kiến nghị  “Xây trụ sở xã Ia Boòng” được giao cho đơn vị",
            "/proposals/7", object_type="proposal", object_id=7,
        )
        db.session.commit()
        assert [n.recipient_id for n in created] == [users["department"].id, users["department_other"].id]
    rows = notifications_of(app, users["department"])
    assert len(rows) == 1
    row = rows[0]
    assert (row.kind, row.link, row.object_type, row.object_id) == ("proposal.assigned", "/proposals/7", "proposal", 7)
    assert row.title == "Kiến nghị “Xây trụ sở xã Ia Boòng” được giao cho đơn vị"  # whitespace collapsed
    assert row.read_at is None and row.created_at.tzinfo is not None
    assert notifications_of(app, users["commune_a"]) == []


def test_notify_skips_inactive_users(app, users):
    set_user(app, users["department_other"], active=False)
    with app.app_context():
        created = notify([users["department"], users["department_other"]], "k", "Tiêu đề", "/x")
        db.session.commit()
        assert [n.recipient_id for n in created] == [users["department"].id]
    assert notifications_of(app, users["department_other"]) == []


def test_notify_with_no_one_does_nothing(app):
    with app.app_context():
        assert notify([], "k", "Tiêu đề", "/x") == []
        assert notify([999999], "k", "Tiêu đề", "/x") == []
    assert count_notifications(app) == 0


def test_dedup_key_creates_each_reminder_once_per_recipient(app, users):
    with app.app_context():
        first = notify([users["commune_a"]], "deadline.due_soon", "Sắp đến hạn", "/d/1", dedup_key="due_soon:d:1:2026-03-05")
        db.session.commit()
        again = notify([users["commune_a"], users["commune_b"]], "deadline.due_soon", "Sắp đến hạn", "/d/1",
                       dedup_key="due_soon:d:1:2026-03-05")
        db.session.commit()
        assert len(first) == 1
        assert [n.recipient_id for n in again] == [users["commune_b"].id]  # only the one who had none
        other_key = notify([users["commune_a"]], "deadline.overdue", "Quá hạn", "/d/1", dedup_key="overdue:d:1:2026-03-05")
        db.session.commit()
        assert len(other_key) == 1
    assert len(notifications_of(app, users["commune_a"])) == 2


def test_without_dedup_key_every_event_counts(app, users):
    with app.app_context():
        notify(users["coordinator"], "proposal.submitted", "Kiến nghị mới", "/p/1")
        notify(users["coordinator"], "proposal.submitted", "Kiến nghị mới", "/p/1")
        db.session.commit()
    assert len(notifications_of(app, users["coordinator"])) == 2


def test_database_refuses_a_concurrent_duplicate_without_breaking_the_transaction(app, users):
    with app.app_context():
        notify(users["leader"], "k", "Một", "/a", dedup_key="same")
        unit = db.session.scalar(select(Unit).where(Unit.code == "SXD"))
        unit.contact_name = "Người liên hệ mới"  # the caller's own pending work
        twin = Notification(recipient_id=users["leader"].id, kind="k", title="Hai", link="/a", dedup_key="same")
        assert _add_unless_duplicate(twin) is False  # as if a second process had inserted it first
        db.session.commit()
        assert db.session.scalar(select(Unit.contact_name).where(Unit.code == "SXD")) == "Người liên hệ mới"
    assert [n.title for n in notifications_of(app, users["leader"])] == ["Một"]


@pytest.mark.parametrize("link", ["https://example.com/x", "//example.com/x", "proposals/1", "/a\\b", ""])
def test_links_must_stay_on_the_site(app, users, link):
    with app.app_context(), pytest.raises(ValueError, match="path on this site"):
        notify(users["leader"], "k", "Tiêu đề", link)


def test_email_state_at_creation(app, users):
    set_user(app, users["department"], email="so.xd@gialai.gov.vn")
    set_user(app, users["department_other"], email="so.nv@gialai.gov.vn", email_preference="none")
    with app.app_context():
        notify([users["department"]], "k", "Khi chưa cấu hình thư", "/a")
        db.session.commit()
    app.config["MAIL_SERVER"] = "127.0.0.1"
    with app.app_context():
        notify([users["department"], users["department_other"], users["commune_a"]], "k", "Khi đã có thư", "/a")
        db.session.commit()
    states = {(n.recipient_id, n.title): n.email_state for u in ("department", "department_other", "commune_a")
              for n in notifications_of(app, users[u])}
    assert states == {
        (users["department"].id, "Khi chưa cấu hình thư"): EMAIL_SKIPPED,  # no mail server then
        (users["department"].id, "Khi đã có thư"): EMAIL_PENDING,
        (users["department_other"].id, "Khi đã có thư"): EMAIL_SKIPPED,  # preference "none"
        (users["commune_a"].id, "Khi đã có thư"): EMAIL_SKIPPED,  # no address
    }


def test_notify_adds_to_the_callers_transaction(app, users):
    with app.app_context():
        notify(users["leader"], "k", "Bị hủy cùng giao dịch", "/a")
        db.session.rollback()
    assert count_notifications(app) == 0


def test_users_of_unit_are_its_working_staff(app, users):
    with app.app_context():
        sxd = db.session.scalar(select(Unit).where(Unit.code == "SXD"))
        office = db.session.scalar(select(Unit).where(Unit.code == "TU-VP"))
        commune = db.session.get(User, users["commune_a"].id).unit
        assert [u.username for u in users_of_unit(sxd.id)] == ["so.xd"]
        assert [u.username for u in users_of_unit(commune.id)] == ["xa.a"]
        # The coordinating office's coordinator and leader are not "staff working on its items".
        assert users_of_unit(office.id) == []
        assert {u.username for u in users_of_unit(office.id, roles=("coordinator", "leader"))} == {"vanphong", "lanhdao"}
        assert [u.username for u in coordinators()] == ["vanphong"]
        sxd_id = sxd.id
    set_user(app, users["department"], active=False)
    with app.app_context():
        assert users_of_unit(sxd_id) == []


def test_mark_object_read(app, users):
    with app.app_context():
        notify(users["commune_a"], "k", "Về kiến nghị 5", "/p/5", object_type="proposal", object_id=5)
        notify(users["commune_a"], "k", "Về kiến nghị 6", "/p/6", object_type="proposal", object_id=6)
        notify(users["commune_b"], "k", "Về kiến nghị 5", "/p/5", object_type="proposal", object_id=5)
        db.session.commit()
        assert mark_object_read(users["commune_a"].id, "proposal", 5) == 1
        db.session.commit()
        assert unread_count(users["commune_a"].id) == 1
        assert unread_count(users["commune_b"].id) == 1


def test_path_for_works_without_a_request(app):
    with app.app_context():  # as in flask remind, run from cron
        assert path_for("admin.user_edit", user_id=5, q="lan") == "/admin/users/5?q=lan"
        with pytest.raises(BuildError):
            path_for("admin.user_edit")


def test_mark_object_read_while_others_write(app, users):
    """Opening a page (a GET, a read transaction) marks its entries read even when another
    request has written since the page began reading: on SQLite the read could not be turned
    into a write then ("database is locked", a 500 for pages several people opened at once)."""
    with app.app_context():
        notify(users["commune_a"], "k", "Về kiến nghị 5", "/p/5", object_type="proposal", object_id=5)
        db.session.commit()
    with app.test_request_context("/proposals/5", method="GET"):
        assert unread_count(users["commune_a"].id) == 1  # the page's read has begun
        with db.engine.begin() as other:  # meanwhile another request writes
            other.execute(update(User).where(User.id == users["commune_b"].id).values(full_name="Người khác sửa"))
        assert mark_object_read(users["commune_a"].id, "proposal", 5) == 1
        db.session.commit()
        assert unread_count(users["commune_a"].id) == 0
        assert mark_object_read(users["commune_a"].id, "proposal", 5) == 0  # nothing left to write
