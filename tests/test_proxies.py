"""TRUSTED_PROXIES: the client's address comes from X-Forwarded-For only behind a configured proxy.

In-process, with the test client standing for the proxy (REMOTE_ADDR) and its clients (the
header); tests/serving/test_nginx.py does the same through Debian's nginx.
"""

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db, limiter
from app.models import AuditEvent
from tests.conftest import PASSWORD, TEST_USERS, Client, base_config

PROXY = "10.0.0.5"
COORDINATOR = TEST_USERS["coordinator"][0]


@pytest.fixture
def make_app(database_uri, tmp_path):
    """make_app(**settings) -> an app on the test's database; its connections closed afterwards
    (an open PostgreSQL connection collected later fails whichever test is running then)."""
    made = []

    def make(**settings):
        app = create_app({**base_config(database_uri, tmp_path), **settings})
        app.test_client_class = Client
        with app.app_context():
            limiter.reset()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _log_in(client, forwarded_for: str, password: str = PASSWORD):
    return client.post(
        "/login",
        data={"username": COORDINATOR, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PROXY},
    )


def _login_addresses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "auth.login")))


def test_without_trusted_proxies_a_forwarded_address_is_ignored(make_app):
    app = make_app()
    client = app.test_client()

    assert _log_in(client, "203.0.113.9").status_code == 303
    assert _login_addresses(app) == [PROXY]
    # Changing the header does not give a client a fresh login limit (5 per minute in tests).
    for attempt in range(5):
        assert _log_in(app.test_client(), f"198.51.100.{attempt}", "sai").status_code in (401, 429)
    assert _log_in(app.test_client(), "198.51.100.200").status_code == 429


def test_behind_one_trusted_proxy_each_client_has_its_address_and_its_own_limit(make_app):
    app = make_app(TRUSTED_PROXIES=1)

    # The proxy appends the address it sees to what the client sent: only the last one counts.
    assert _log_in(app.test_client(), "6.6.6.6, 203.0.113.9").status_code == 303
    assert _login_addresses(app) == ["203.0.113.9"]

    abuser = app.test_client()
    statuses = [_log_in(abuser, "198.51.100.7", "sai").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    assert _log_in(app.test_client(), "203.0.113.10").status_code == 303
    assert _login_addresses(app) == ["203.0.113.9", "203.0.113.10"]


def test_behind_a_trusted_proxy_the_scheme_and_host_are_the_proxys(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    seen = {}

    @app.get("/_seen")
    def _seen():
        from flask import request

        seen.update(scheme=request.scheme, host=request.host, url=request.url_root)
        return "ok"

    app.test_client().get("/_seen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "giaoban.gialai.gov.vn"})
    assert seen == {"scheme": "https", "host": "giaoban.gialai.gov.vn", "url": "https://giaoban.gialai.gov.vn/"}


def test_trusted_proxies_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert create_app().config["TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "-1")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app()
