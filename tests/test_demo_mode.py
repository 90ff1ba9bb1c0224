"""Demo accounts only on a demo site: `flask demo` fills only an empty database and marks it,
the mark decides DEMO_MODE, and a site not in demo mode refuses every demo account."""

import os
import re

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from app.config import _env_overrides
from app.demo import DEMO_ACCOUNTS, load_demo
from app.demo_mode import DEMO_MARK, DEMO_PASSWORD, forget_demo_mode, mark_demo_database
from app.extensions import db
from app.models import Setting, User
from tests.conftest import Client

BANNER = "Dữ liệu minh họa."
DEMO_REFUSED = "Đây là tài khoản thử nghiệm, chỉ dùng trên trang thử nghiệm."
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))


def _demo_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.is_demo.is_(True)))


def _marked(app) -> bool:
    with app.app_context():
        return db.session.get(Setting, DEMO_MARK) is not None


def _load_demo_rows(app, *, mark: bool) -> None:
    """Demo accounts in the seeded database: marked as a demo one, or not (an old --force)."""
    with app.test_request_context():
        if mark:
            mark_demo_database()
        load_demo()
        db.session.commit()
    forget_demo_mode(app)


def _client(app) -> Client:
    app.test_client_class = Client
    return app.test_client()


# --- flask demo and flask db-state -----------------------------------------------------------


def test_demo_fills_an_empty_database_marks_it_and_prints_every_demo_account(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db-state"]).output.strip() == "empty"
    result = runner.invoke(args=["demo", "--yes"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        demo_names = set(db.session.scalars(select(User.username).where(User.is_demo.is_(True))))
    listing = result.output.split("Demo accounts:", 1)[1]
    printed = set(re.findall(r"^  (\S+) +\S+ ", listing, re.MULTILINE))
    # The seven of DEMO_ACCOUNTS and the proposals' authors: every one is listed.
    assert {spec[0] for spec in DEMO_ACCOUNTS} < demo_names and printed == demo_names
    assert f"Demo accounts: {len(demo_names)}, password for all: {DEMO_PASSWORD}" in result.output
    assert _marked(empty_app)
    assert runner.invoke(args=["db-state"]).output.strip() == "demo"
    # Again on the demo database: allowed, and nothing is added twice.
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert _demo_users(empty_app) == len(demo_names)
    # `flask setup` on it warns that it is no database for real work.
    assert "This is a demo database" in runner.invoke(args=["setup"]).output


def test_demo_refuses_a_real_database_and_force_is_gone(app, runner):
    assert runner.invoke(args=["db-state"]).output.strip() == "real"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "not empty and was not made by `flask demo`: refusing" in result.output
    assert "new, empty database" in result.output
    result = runner.invoke(args=["demo", "--force"])
    assert result.exit_code != 0
    assert "`flask demo --force` no longer exists" in result.output
    assert _demo_users(app) == 0 and not _marked(app)


def test_a_database_after_setup_is_real(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    assert runner.invoke(args=["db-state"]).output.strip() == "real"
    assert runner.invoke(args=["demo", "--yes"]).exit_code != 0
    assert _demo_users(empty_app) == 0 and not _marked(empty_app)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="asks only for a server database; SQLite files are local")
def test_demo_asks_before_filling_an_empty_server_database(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["demo"], input="n\n")
    assert result.exit_code != 0
    assert "Make it a demo database" in result.output
    assert empty_app.test_cli_runner().invoke(args=["db-state"]).output.strip() == "empty"


# --- logins ----------------------------------------------------------------------------------


def test_demo_accounts_refused_where_the_database_is_not_marked(app):
    _load_demo_rows(app, mark=False)
    client = _client(app)
    response = client.post("/login", data={"username": "quantri.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 401
    assert DEMO_REFUSED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    # With a wrong password, the same answer as any wrong password.
    response = client.post("/login", data={"username": "quantri.demo", "password": "Sai-mat-khau-7"})
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert WRONG in body and DEMO_REFUSED not in body
    assert BANNER not in body


def test_demo_accounts_log_in_on_a_demo_site_which_says_so(app):
    _load_demo_rows(app, mark=True)
    client = _client(app)
    assert BANNER in client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": "vanphong.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 303
    page = client.get("/")
    assert page.status_code == 200 and BANNER in page.get_data(as_text=True)


def test_demo_mode_off_refuses_demo_logins_and_ends_their_sessions(app):
    _load_demo_rows(app, mark=True)
    client = _client(app)
    assert client.post("/login", data={"username": "lanhdao.demo", "password": DEMO_PASSWORD}).status_code == 303
    app.config["DEMO_MODE"] = False  # the operator's DEMO_MODE=0
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    response = client.post("/login", data={"username": "lanhdao.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 401 and DEMO_REFUSED in response.get_data(as_text=True)
    assert BANNER not in response.get_data(as_text=True)


def test_real_accounts_are_not_affected(app, login_as):
    _load_demo_rows(app, mark=False)
    assert login_as("coordinator").get("/").status_code == 200


def test_no_banner_on_a_real_site(client):
    assert BANNER not in client.get("/login").get_data(as_text=True)


def test_demo_mode_can_only_be_turned_off_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_MODE", "0")
    assert _env_overrides()["DEMO_MODE"] is False
    monkeypatch.setenv("DEMO_MODE", "1")
    assert "DEMO_MODE" not in _env_overrides()


# --- the admin's list ------------------------------------------------------------------------


def test_admin_list_marks_demo_accounts(app, login_as):
    _load_demo_rows(app, mark=False)
    body = login_as("admin").get("/admin/users?q=demo").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    demo_rows = [row for row in rows if ".demo<" in row or ">demo." in row]
    assert len(demo_rows) == _demo_users(app) > 7
    assert all("Tài khoản thử nghiệm" in row for row in demo_rows)
    real = login_as("admin").get("/admin/users?q=vanphong").get_data(as_text=True)
    real_row = next(row for row in re.findall(r"<tr>(.*?)</tr>", real, re.DOTALL) if ">vanphong<" in row)
    assert "Tài khoản thử nghiệm" not in real_row


# --- the migration that takes back marks left by `flask demo --force` -----------------------


@pytest.mark.own_database
def test_migration_takes_the_mark_back_from_a_database_with_real_accounts(app):
    with app.app_context():
        downgrade(revision="0011_session_version")
        db.session.add(Setting(key=DEMO_MARK, value="1"))  # what the old --force left
        db.session.commit()
        upgrade()
    assert not _marked(app)


@pytest.mark.own_database
def test_migration_keeps_the_mark_of_a_demo_database(empty_app):
    assert empty_app.test_cli_runner().invoke(args=["demo", "--yes"]).exit_code == 0
    with empty_app.app_context():
        downgrade(revision="0011_session_version")
        upgrade()
    assert _marked(empty_app)
