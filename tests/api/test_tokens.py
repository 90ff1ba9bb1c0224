"""Tokens: shown once and stored hashed, scoped to their user's role, listed with last use,
revocable, and the only way into the API (a cookie session gets 401, never a CSRF-free write)."""

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.api.models import ApiToken
from app.extensions import db
from app.proposals.models import Proposal


def test_a_token_acts_as_its_user(api, users):
    response = api("commune_b").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["user_id"] == users["commune_b"].id
    assert response.json["role"] == "commune"
    assert response.json["scope"] == "write"


def test_only_the_hash_is_stored(app, make_token):
    secret = make_token("coordinator")
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (token.token_hash, token.prefix)
        assert secret.startswith(token.prefix)


def test_without_a_token_the_api_answers_401_problem(client):
    response = client.get("/api/v1/proposals")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Thiếu khóa truy cập hoặc khóa không còn hiệu lực"
    assert response.json["title_en"] == "Missing, expired or revoked API token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_cookie_session_gets_no_csrf_free_write_path(app, login_as, world):
    """The API is exempt from CSRF only because it takes tokens alone: a logged-in browser
    posting to it without a token (as a forged cross-site form would) changes nothing."""
    commune = login_as("commune_b")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Proposal))
    body = {"title": "Giả mạo", "content": "Gửi từ trang khác", "field_id": world["field_id"]}
    response = commune.post("/api/v1/proposals", json=body, csrf=False)
    assert response.status_code == 401
    assert commune.get("/api/v1/me").status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == before


def test_a_read_token_cannot_write(api, world):
    body = {"title": "Đường", "content": "Nội dung", "field_id": world["field_id"]}
    response = api("commune_b", "read").post("/api/v1/proposals", json=body)
    assert response.status_code == 403
    assert response.json["type"].endswith("read-only-token")


def test_revoked_and_expired_tokens_are_refused(app, make_token):
    secret = make_token("leader")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_on = clock.today() - timedelta(days=1)
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_on = clock.today() + timedelta(days=1)
        token.revoked_at = clock.now()
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_last_use_is_recorded(app, api):
    client = api("leader")
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is None
    client.get("/api/v1/me")
    with app.app_context():
        used = db.session.scalar(select(ApiToken.last_used_at))
        assert used is not None and timedelta(0) <= clock.now() - used < timedelta(minutes=1)


def test_screens_create_show_once_list_and_revoke(app, login_as, users):
    commune = login_as("commune_b")
    page = commune.get("/account/api-tokens")
    assert page.status_code == 200
    assert "Khóa truy cập API" in page.get_data(as_text=True)
    expires = (clock.today() + timedelta(days=90)).isoformat()
    created = commune.post("/account/api-tokens", data={
        "user_id": users["commune_b"].id, "name": "Hệ thống quản lý văn bản", "scope": "write", "expires_on": expires})
    html = created.get_data(as_text=True)
    assert created.status_code == 201, html[:2000]
    assert "chỉ hiện một lần" in html
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.name == "Hệ thống quản lý văn bản" and token.scope == "write"
    secret = html.split('<code id="token-secret">')[1].split("</code>")[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    listing = commune.get("/account/api-tokens").get_data(as_text=True)
    assert "Hệ thống quản lý văn bản" in listing and secret not in listing and "Chưa dùng" in listing
    assert commune.post(f"/account/api-tokens/{token.id}/revoke").status_code == 303
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Đã thu hồi" in commune.get("/account/api-tokens").get_data(as_text=True)


def test_a_leader_gets_read_tokens_only_and_a_user_only_their_own(app, login_as, users):
    leader = login_as("leader")
    expires = (clock.today() + timedelta(days=30)).isoformat()
    refused = leader.post("/account/api-tokens", data={
        "user_id": users["leader"].id, "name": "Báo cáo", "scope": "write", "expires_on": expires})
    assert refused.status_code == 400
    assert "chỉ cho phép khóa chỉ đọc" in refused.get_data(as_text=True)
    other = leader.post("/account/api-tokens", data={
        "user_id": users["coordinator"].id, "name": "Báo cáo", "scope": "read", "expires_on": expires})
    assert other.status_code == 400  # not among the choices a non-admin is offered
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_an_admin_makes_a_token_for_anyone_and_revokes_it(app, login_as, users):
    admin = login_as("admin")
    expires = (clock.today() + timedelta(days=30)).isoformat()
    response = admin.post("/account/api-tokens", data={
        "user_id": users["coordinator"].id, "name": "LGSP", "scope": "write", "expires_on": expires})
    assert response.status_code == 201
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.user_id == users["coordinator"].id
    other = login_as("commune_a")
    assert other.post(f"/account/api-tokens/{token.id}/revoke").status_code == 404
    assert admin.post(f"/account/api-tokens/{token.id}/revoke").status_code == 303


def test_a_token_past_two_years_or_in_the_past_is_refused(login_as, users):
    commune = login_as("commune_b")
    for day in (clock.today(), clock.today() + timedelta(days=800)):
        response = commune.post("/account/api-tokens", data={
            "user_id": users["commune_b"].id, "name": "X", "scope": "read", "expires_on": day.isoformat()})
        assert response.status_code == 400


def test_the_account_menu_links_to_the_tokens(login_as):
    page = login_as("department").get("/").get_data(as_text=True)
    assert 'href="/account/api-tokens"' in page


def test_only_an_admin_points_a_token_at_a_webhook_receiver(app, login_as, users):
    """The server POSTs to the address: an ordinary account must not aim it at internal hosts."""
    commune = login_as("commune_b")
    expires = (clock.today() + timedelta(days=30)).isoformat()
    assert 'name="webhook_url"' not in commune.get("/account/api-tokens").get_data(as_text=True)
    refused = commune.post("/account/api-tokens", data={
        "user_id": users["commune_b"].id, "name": "Thử", "scope": "read", "expires_on": expires,
        "webhook_url": "http://127.0.0.1:6379/"})
    assert refused.status_code == 400
    assert "Chỉ quản trị hệ thống được đặt địa chỉ nhận sự kiện" in refused.get_data(as_text=True)
    admin = login_as("admin")
    assert 'name="webhook_url"' in admin.get("/account/api-tokens").get_data(as_text=True)
    made = admin.post("/account/api-tokens", data={
        "user_id": users["commune_b"].id, "name": "Xã B", "scope": "read", "expires_on": expires,
        "webhook_url": "https://lgsp.example.vn/hooks"})
    assert made.status_code == 201
    with app.app_context():
        assert db.session.scalars(select(ApiToken.webhook_url)).all() == ["https://lgsp.example.vn/hooks"]
