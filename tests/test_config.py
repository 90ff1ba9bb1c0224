import os
import re
import sqlite3
import stat

import pytest
from sqlalchemy import text

from app import create_app
from app.config import _normalise_db_url, load_secret_key
from app.extensions import db


def test_testing_config(app):
    assert app.testing
    assert app.config["PROVINCE_CODE"] == 52


def test_default_database_is_sqlite_in_instance(monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "PROVINCE_CODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + os.path.join(app.instance_path, "giaoban.sqlite3")


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/giaoban")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("PROVINCE_CODE", "1")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("HTMX_USE_CDN", "1")
    monkeypatch.setenv("DASHBOARD_CACHE_SECONDS", "0")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/giaoban"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["PROVINCE_CODE"] == 1
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["HTMX_USE_CDN"] is True
    assert app.config["DASHBOARD_CACHE_SECONDS"] == 0


def test_database_url_normalisation():
    assert _normalise_db_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert _normalise_db_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_is_generated_once_owner_only(tmp_path):
    first = load_secret_key(str(tmp_path))
    second = load_secret_key(str(tmp_path))
    assert first == second and len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Nothing to tune there; make sure the PostgreSQL run really is on PostgreSQL.
        with app.app_context():
            assert db.engine.dialect.name == "postgresql"
        return
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)


def test_htmx_from_the_vendored_copy_by_default_never_blocking(client):
    body = client.get("/login").get_data(as_text=True)
    assert "unpkg.com" not in body
    assert '<script defer src="/static/vendor/htmx-2.0.11.min.js"></script>' in body
    vendored = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert vendored.status_code == 200
    assert b"htmx" in vendored.data
    vendored.close()


def test_htmx_from_cdn_only_when_chosen_deferred_with_integrity_and_fallback(database_uri, tmp_path):
    from app.extensions import db
    from tests.conftest import base_config

    app = create_app({**base_config(database_uri, tmp_path), "HTMX_USE_CDN": True})
    try:
        response = app.test_client().get("/login")
    finally:
        with app.app_context():
            db.engine.dispose()  # the page reads the database (is it a demo site?)
    body = response.get_data(as_text=True)
    assert re.search(r'<script defer src="/static/js/htmx-cdn\.[0-9a-f]{12}\.js"', body)  # app/static_files.py
    assert 'data-cdn-src="https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js"' in body
    assert 'data-integrity="sha384-' in body
    assert 'data-local-src="/static/vendor/htmx-2.0.11.min.js"' in body
    assert "<script src=" not in body  # nothing in <head> that the page must wait for
    assert "https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js" in response.headers["Content-Security-Policy"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_error_pages_are_vietnamese(client, auth):
    auth.login("coordinator")
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    response = client.get("/khong-co-trang-nay", headers={"HX-Request": "true"})
    assert response.status_code == 404 and "<html" not in response.get_data(as_text=True)


def test_request_too_large_gets_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_unexpected_error_gets_the_friendly_500_page(app, client, auth):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login("coordinator")
    response = client.get("/broken")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body and "Dữ liệu đã lưu trước đó không bị mất" in body
    assert "Traceback" not in body and "boom" not in body


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_a_pdf_time_limit_that_would_refuse_every_pdf_stops_the_start(monkeypatch, seconds):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("PDF_TIMEOUT_SECONDS", seconds)
    with pytest.raises(ValueError, match="PDF_TIMEOUT_SECONDS"):
        create_app()
