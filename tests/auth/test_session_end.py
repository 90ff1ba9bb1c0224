"""A copied session cookie stops working once its account logs out, changes or is given a new
password, or is disabled: each of these ends every session of the account."""

import re

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, Client


def _copy_of(app, client) -> Client:
    """A second browser holding the same cookies as client (a stolen or copied cookie jar)."""
    app.test_client_class = Client
    other = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            other.set_cookie(name, cookie.value, domain=cookie.domain)
    return other


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_copied_cookie_works_while_the_session_lives(app, login_as):
    client = login_as("coordinator")
    assert _copy_of(app, client).get("/").status_code == 200


def test_logout_ends_the_copied_session(app, login_as):
    client = login_as("coordinator")
    copy = _copy_of(app, client)
    assert client.post("/logout").status_code == 303
    assert _sent_to_login(copy.get("/"))
    # Logging in again does not bring the old cookie back to life.
    client.post("/login", data={"username": "vanphong", "password": PASSWORD})
    assert _sent_to_login(copy.get("/"))


def test_password_change_ends_other_sessions_but_keeps_this_one(app, login_as):
    client = login_as("department")
    copy = _copy_of(app, client)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Cau-treo-Ia-Boong-qua-suoi", "confirm": "Cau-treo-Ia-Boong-qua-suoi"},
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert _sent_to_login(copy.get("/"))


def test_reset_by_admin_ends_the_sessions(app, login_as, users):
    victim = login_as("commune_a")
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{users['commune_a'].id}/reset-password")
    assert response.status_code == 200
    assert re.search(r'data-testid="generated-password">', response.get_data(as_text=True))
    assert _sent_to_login(victim.get("/"))


def test_disable_ends_the_sessions_and_enabling_does_not_revive_them(app, login_as, users):
    victim = login_as("commune_b")
    admin = login_as("admin")
    assert admin.post(f"/admin/users/{users['commune_b'].id}/active").status_code == 303  # disable
    assert _sent_to_login(victim.get("/"))
    assert admin.post(f"/admin/users/{users['commune_b'].id}/active").status_code == 303  # enable
    with app.app_context():
        assert db.session.get(User, users["commune_b"].id).active
    assert _sent_to_login(victim.get("/"))


def test_reset_from_the_command_line_ends_the_sessions(app, login_as, runner):
    victim = login_as("leader")
    result = runner.invoke(args=["users", "reset-password", "lanhdao"])
    assert result.exit_code == 0, result.output
    assert _sent_to_login(victim.get("/"))


def test_session_of_another_account_version_is_refused(app, login_as, users):
    """The session names the account and its session version; a forged older version fails."""
    client = login_as("leader")
    with client.session_transaction() as session:
        user_id, version = session["_user_id"].split(":")
        session["_user_id"] = f"{user_id}:{int(version) - 1}"
    assert _sent_to_login(client.get("/"))
