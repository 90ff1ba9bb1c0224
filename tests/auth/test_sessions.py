"""Session hygiene: no fixation, logout clears, disabled accounts are thrown out."""


from app.extensions import db
from app.models import User


def _session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_session_is_new_at_login(client, auth):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    before = _session_cookie(client)
    auth.login("coordinator")
    assert _session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_logout_clears_the_session(client, auth):
    auth.login("coordinator")
    auth.logout()
    with client.session_transaction() as session:
        assert "_user_id" not in session and "csrf_token" not in session
    assert client.get("/").status_code == 302


def test_disabled_account_is_logged_out_at_next_request(client, auth, app, users):
    auth.login("commune_a")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, users["commune_a"].id).active = False
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_csp_allows_only_our_scripts(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src")).split()[1:]
    assert script_src == ["'self'"]  # htmx from static/vendor/ unless HTMX_USE_CDN (tests/test_config.py)
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_cookies_secure_behind_https(database_uri, tmp_path):
    from app import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(database_uri, tmp_path), "SESSION_COOKIE_SECURE": True})
    try:
        response = app.test_client().get("/login")
    finally:
        with app.app_context():
            db.engine.dispose()  # the page reads the database (is it a demo site?)
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
