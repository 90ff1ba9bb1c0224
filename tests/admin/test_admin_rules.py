"""An admin cannot change their own role, and the site always keeps one active admin."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Unit, User

SELF_ROLE = "Không thể tự thay đổi vai trò của chính mình"
LAST_ADMIN = "quản trị viên cuối cùng đang hoạt động"


def _edit_form(client, app, user_id, **changes):
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"full_name": user.full_name, "email": user.email or "", "role": user.role,
                "unit_id": user.unit_id, "version": version}
    return {**data, **changes}


def _field_error(body: str, field: str) -> str:
    match = re.search(rf'id="{field}-error" class="field-error">([^<]*)<', body)
    return match.group(1) if match else ""


def test_admin_cannot_change_own_role(login_as, app, users):
    client = login_as("admin")
    me = users["admin"].id
    response = client.post(f"/admin/users/{me}", data=_edit_form(client, app, me, role="coordinator"))
    assert response.status_code == 400
    assert SELF_ROLE in _field_error(response.get_data(as_text=True), "role")
    with app.app_context():
        assert db.session.get(User, me).role == "admin"


def test_admin_may_still_edit_own_name(login_as, app, users):
    client = login_as("admin")
    me = users["admin"].id
    response = client.post(f"/admin/users/{me}", data=_edit_form(client, app, me, full_name="Đỗ Văn Tâm (CNTT)"))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, me).full_name == "Đỗ Văn Tâm (CNTT)"


def test_admin_may_change_another_admins_role(login_as, app):
    client = login_as("admin")
    with app.app_context():
        other = db.session.scalar(select(User).where(User.username == "admin"))  # made by setup
        other_id = other.id
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "UB-VP"))
    response = client.post(f"/admin/users/{other_id}", data=_edit_form(client, app, other_id, role="coordinator", unit_id=unit_id))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, other_id).role == "coordinator"


def test_last_active_admin_cannot_be_disabled_from_the_command_line(app, runner):
    assert runner.invoke(args=["users", "disable", "admin"]).exit_code == 0  # quantri is still there
    result = runner.invoke(args=["users", "disable", "quantri"])
    assert result.exit_code != 0
    assert LAST_ADMIN in result.output
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.username == "quantri")) is True


def test_last_active_admin_cannot_be_demoted(app, users):
    from app.admin import services as accounts

    with app.test_request_context():
        db.session.scalar(select(User).where(User.username == "admin")).active = False
        quantri = db.session.get(User, users["admin"].id)
        try:
            accounts.update_user(quantri, role="leader", unit=quantri.unit, full_name=quantri.full_name, email=None)
        except accounts.AdminError as error:
            assert LAST_ADMIN in str(error) and error.field == "role"
        else:
            raise AssertionError("the last active admin was demoted")


def test_disabled_admins_do_not_count(login_as, app, users):
    """Two admin rows, one of them disabled: the active one is the last."""
    client = login_as("admin")
    with app.app_context():
        setup_admin = db.session.scalar(select(User).where(User.username == "admin"))
        setup_admin.active = False
        db.session.commit()
    response = client.post(f"/admin/users/{users['admin'].id}/active", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, users["admin"].id).active
