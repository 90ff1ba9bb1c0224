"""New passwords: the demo password, the province's and the site's names and anything zxcvbn
finds easy to guess are refused with a Vietnamese reason; good passphrases pass."""

import pytest
from sqlalchemy import select

from app.auth.passwords import password_problem
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD

GIA_LAI = {"username": "vanphong", "full_name": "Phạm Quốc Khánh", "province": "Gia Lai"}


def _change(client, new_password):
    return client.post("/account/password", data={"current_password": PASSWORD, "new_password": new_password, "confirm": new_password})


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("GiaoBan@2025", "tài khoản thử nghiệm"),
        ("giaoban2025", "tài khoản thử nghiệm"),
        ("Mới-GiaoBan@2025", "tài khoản thử nghiệm"),
        ("GiaLai@2026!", "tên tỉnh hoặc tên hệ thống"),
        ("Gia Lài 2025", "tên tỉnh hoặc tên hệ thống"),
        ("Giao-Ban-123", "tên tỉnh hoặc tên hệ thống"),
        ("van.phong1", "tên đăng nhập"),
        ("PhamQuocKhanh1", "họ tên"),
        ("Password123", "mật khẩu phổ biến"),
        ("qwertyuiop12", "dễ đoán"),
        ("Matkhau123", "dễ đoán"),
        ("abcdefghijkl", "dãy ký tự liên tiếp"),
        ("ngan", "từ 10 đến 200 ký tự"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, password, reason):
    with app.test_request_context():
        problem = password_problem(password, **GIA_LAI)
    assert problem is not None and reason in problem, problem


@pytest.mark.parametrize("password", ["Cầu-treo-Ia-Boòng-7", "Mat-khau-thu-nghiem-1", "suối đá mùa khô mây trắng", "Xk9#mP2vLq8w"])
def test_good_passwords_pass(app, password):
    with app.test_request_context():
        assert password_problem(password, **GIA_LAI) is None


def test_long_passwords_are_judged_on_their_start(app):
    with app.test_request_context():
        assert password_problem("a" * 200, **GIA_LAI) is not None
        assert password_problem("Xk9#mP2vLq8w" * 16, **GIA_LAI) is None


@pytest.mark.parametrize("password", ["GiaoBan@2025", "GiaLai2026!", "Giao Ban 2026", "vanphong2025", "Pham.Quoc.Khanh", "Password123"])
def test_own_change_refuses_guessable_passwords(client, auth, app, users, password):
    auth.login("coordinator")
    response = _change(client, password)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="new_password-error" class="field-error">' in body
    assert "dễ đoán" in body or "thử nghiệm" in body
    with app.app_context():
        assert db.session.get(User, users["coordinator"].id).check_password(PASSWORD)


def test_own_change_accepts_a_passphrase(client, auth, app, users):
    auth.login("coordinator")
    assert _change(client, "Nương rẫy bên suối Ia Ly").status_code == 303
    with app.app_context():
        assert db.session.get(User, users["coordinator"].id).check_password("Nương rẫy bên suối Ia Ly")


@pytest.mark.parametrize("password", ["GiaoBan@2025", "GiaLai@2025", "Giao-Ban-2026"])
def test_command_line_refuses_guessable_passwords(app, runner, password):
    result = runner.invoke(args=["users", "create", "ke.toan", "--role", "department", "--unit", "STC", "--password", password])
    assert result.exit_code != 0
    assert "dễ đoán" in result.output or "thử nghiệm" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ke.toan")) is None
