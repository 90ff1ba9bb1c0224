from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import PASSWORD


def test_login_page_is_vietnamese(client):
    response = client.get("/login")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Đăng nhập" in body and "Tên đăng nhập" in body and "Mật khẩu" in body
    assert 'name="csrf_token"' in body


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_then_logout(client, auth, app):
    response = auth.login("coordinator")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert "Phạm Quốc Khánh" in home.get_data(as_text=True)
    assert "Văn phòng điều phối" in home.get_data(as_text=True)
    response = auth.logout()
    assert response.status_code == 303
    assert client.get("/").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "auth.login" in actions and "auth.logout" in actions


def test_wrong_password_shows_message(client, auth):
    response = auth.login("coordinator", password="sai-mat-khau")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_empty_fields_show_messages(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Nhập tên đăng nhập." in body and "Nhập mật khẩu." in body


def test_disabled_account_cannot_log_in(client, auth, app, users):
    with app.app_context():
        user = db.session.get(User, users["commune_a"].id)
        user.active = False
        db.session.commit()
    response = auth.login("commune_a")
    assert response.status_code == 401
    assert "đã bị khóa" in response.get_data(as_text=True)


def test_login_is_rate_limited(client, auth):
    # The test configuration allows 5 attempts a minute.
    statuses = [auth.login("coordinator", password="sai").status_code for _ in range(5)]
    assert statuses == [401] * 5
    response = auth.login("coordinator")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Thử quá nhiều lần" in page and "Bạn đã thử quá nhiều lần. Đợi một phút rồi thử lại." in page


def test_next_accepts_local_paths_only(client):
    data = {"username": "vanphong", "password": PASSWORD}
    response = client.post("/login?next=/admin/users", data=data)
    assert response.headers["Location"] == "/admin/users"


def test_next_refuses_other_sites(client, auth):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={"username": "vanphong", "password": PASSWORD})
        assert response.status_code == 303
        assert response.headers["Location"] == "/", target


def test_forced_password_change(client, auth, app, users):
    with app.app_context():
        user = db.session.get(User, users["department"].id)
        user.must_change_password = True
        db.session.commit()
    response = auth.login("department")
    assert response.headers["Location"] == "/account/password"
    # Every other page sends the user back to the password form.
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"
    # A too-short password is refused next to the field.
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "ngan", "confirm": "ngan"})
    assert response.status_code == 400
    assert "Mật khẩu mới cần từ 10 đến 200 ký tự." in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Mat-khau-moi-2025", "confirm": "Mat-khau-moi-2025"},
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    with app.app_context():
        user = db.session.get(User, users["department"].id)
        assert user.must_change_password is False
        assert user.check_password("Mat-khau-moi-2025")


def test_wrong_current_password_is_refused(client, auth):
    auth.login("department")
    response = client.post(
        "/account/password",
        data={"current_password": "khong-dung", "new_password": "Mat-khau-moi-2025", "confirm": "Mat-khau-moi-2025"},
    )
    assert response.status_code == 400
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)


def test_post_without_csrf_is_refused(client, auth):
    response = client.post("/login", data={"username": "vanphong", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "mã bảo mật" in response.get_data(as_text=True)


def test_htmx_post_without_csrf_is_refused(client, auth):
    auth.login("coordinator")
    response = client.post("/logout", csrf=False, htmx=True)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "<html" not in body and "mã bảo mật" in body
    assert client.get("/").status_code == 200  # still logged in


def test_session_cookie_flags(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
