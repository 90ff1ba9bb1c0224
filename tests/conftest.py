"""Fixtures: a fresh real database per test (SQLite file or PostgreSQL database),
the Flask test client with CSRF tokens, one logged-in user per role, and the pinned clock.

The clock: every test runs on the day GIAOBAN_TEST_DAY names (an ISO date, or a moment with
its offset; default DEFAULT_TEST_DAY), never on the real date. `.ci/run` runs the
date-sensitive folders again on hard days (New Year, the eve of Tết, 30/4, a weekend...).
Servers the tests start (gunicorn, `flask demo`) inherit the same day through the
environment. A test that needs another day takes the `pin_today` fixture.
"""

import os
import re
import shutil
import sqlite3
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app import clock, create_app
from app.extensions import db, limiter

TEST_DAY_ENV = "GIAOBAN_TEST_DAY"
DEFAULT_TEST_DAY = "2026-12-02"  # a Wednesday: an ordinary working day
FAST_HASH = "pbkdf2:sha256:1000"  # tests only: keeps 8 logins per test cheap
PASSWORD = "Mat-khau-thu-nghiem-1"

# key -> (username, role, unit code or name, full name)
TEST_USERS = {
    "commune_a": ("xa.a", "commune", "Xã Ia Boòng", "Rơ Châm Hiền"),
    "commune_b": ("xa.b", "commune", "Phường Pleiku", "Nguyễn Thị Lan"),
    "department": ("so.xd", "department", "SXD", "Trần Văn Minh"),
    "department_other": ("so.nv", "department", "SNV", "Lê Thị Hoa"),
    "coordinator": ("vanphong", "coordinator", "TU-VP", "Phạm Quốc Khánh"),
    "leader": ("lanhdao", "leader", "TU-VP", "Lương Văn Trọng"),
    "admin": ("quantri", "admin", "UB-VP", "Đỗ Văn Tâm"),
}

CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def suite_day() -> str:
    """The day (or moment) this run of the suite takes as today."""
    return os.environ.get(TEST_DAY_ENV) or DEFAULT_TEST_DAY


def pytest_configure(config):
    """Pin the clock before any test or fixture reads it, here and in the servers tests start."""
    start = clock.pin(suite_day())
    os.environ[clock.PIN_ENV] = start.isoformat()


def pytest_report_header(config):
    return f"today in the province (pinned): {clock.local_now():%d/%m/%Y %H:%M} ({TEST_DAY_ENV}={suite_day()})"


@pytest.fixture
def pin_today():
    """Return a function that makes the province's today another day (or moment) for one test."""
    yield clock.pin
    clock.pin(suite_day())


def base_config(database_uri: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LOGIN_RATE_LIMIT": "5 per minute",
        "PROVINCE_CODE": 52,
        # Documents are built inside the request (the same job, no pool); tests/docjobs runs the pool.
        "DOCUMENT_JOB_PROCESSES": 0,
        "DOCUMENT_JOB_DIR": str(tmp_path / "documents"),
    }


def _pg_admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def _pg_admin(url: str):
    with psycopg.connect(_pg_admin_url(url), autocommit=True) as conn:
        yield conn


def _seed(app) -> None:
    """Migrate, load Gia Lai's units and fields, and create one account per role."""
    from app.admin import services as accounts
    from app.cli import run_setup

    with app.app_context():
        run_setup(52)
        for username, role, unit_ref, full_name in TEST_USERS.values():
            accounts.create_user(
                username, role, accounts.find_unit(unit_ref), password=PASSWORD,
                full_name=full_name, must_change=False,
            )
        db.session.commit()
        db.engine.dispose()


def _snapshot(url: str) -> dict[str, list[dict]]:
    """Every row of every table of a seeded database, to put back before each test."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = {t.name: [dict(r._mapping) for r in conn.execute(t.select())] for t in db.metadata.sorted_tables}
    engine.dispose()
    return rows


def _reset(engine, snapshot: dict[str, list[dict]]) -> None:
    """Put a PostgreSQL database back to the seeded state: empty every table, reinsert the seed.

    Much cheaper than copying a template database per test (CREATE DATABASE costs ~0.4 s).
    """
    tables = db.metadata.sorted_tables
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE")
        for table in tables:
            if snapshot[table.name]:
                conn.execute(table.insert(), snapshot[table.name])
        for table in tables:
            if "id" in table.c and snapshot[table.name] and table.c.id.autoincrement:
                top = max(row["id"] for row in snapshot[table.name])
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), {top})")


@pytest.fixture(scope="session")
def _template_database(tmp_path_factory):
    """Build the seeded database once per session; each test gets it back as seeded."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    tmp = tmp_path_factory.mktemp("template")
    if pg_url:
        name = f"giaoban_tpl_{uuid.uuid4().hex[:10]}"
        work = f"giaoban_w_{uuid.uuid4().hex[:10]}"
        with _pg_admin(pg_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        _seed(create_app(base_config(url, tmp)))
        with _pg_admin(pg_url) as conn:
            conn.execute(f'CREATE DATABASE "{work}" TEMPLATE "{name}"')
        work_url = make_url(pg_url).set(database=work).render_as_string(hide_password=False)
        engine = create_engine(work_url, poolclass=NullPool)
        yield ("postgresql", pg_url, name, (work_url, engine, _snapshot(url)))
        engine.dispose()
        with _pg_admin(pg_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp / "template.sqlite3"
        _seed(create_app(base_config(f"sqlite:///{path}", tmp)))
        yield ("sqlite", None, path, None)


@pytest.fixture
def database_uri(request, _template_database, tmp_path):
    """The seeded database for one test: a fresh SQLite copy, or the PostgreSQL work database
    reset to the seed (a test marked own_database gets a copy of its own, e.g. to migrate)."""
    kind, pg_url, template, work = _template_database
    if kind == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    if request.node.get_closest_marker("own_database") is None:
        work_url, engine, snapshot = work
        _reset(engine, snapshot)
        yield work_url
        return
    name = f"giaoban_t_{uuid.uuid4().hex[:12]}"
    with _pg_admin(pg_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    with _pg_admin(pg_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app(database_uri, tmp_path):
    app = create_app(base_config(database_uri, tmp_path))
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_database_uri(tmp_path):
    """A database with nothing in it, not even tables: a new SQLite file or PostgreSQL database."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"giaoban_e_{uuid.uuid4().hex[:12]}"
    with _pg_admin(pg_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    with _pg_admin(pg_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_app(empty_database_uri, tmp_path):
    """The app on an empty database (as a new deployment or `make clean-db` leaves it)."""
    app = create_app(base_config(empty_database_uri, tmp_path))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Client(FlaskClient):
    """Test client that sends the CSRF token (as htmx does) unless told csrf=False."""

    csrf_token: str | None = None

    def open(self, *args, csrf: bool = True, htmx: bool = False, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        headers = dict(kwargs.pop("headers", None) or {})
        if htmx:
            headers["HX-Request"] = "true"
        if csrf and method not in ("GET", "HEAD", "OPTIONS") and "X-CSRFToken" not in headers:
            headers["X-CSRFToken"] = self.fetch_csrf_token()
        kwargs["headers"] = headers
        response = super().open(*args, **kwargs)
        return response

    def fetch_csrf_token(self) -> str:
        """Read the token this session's pages carry."""
        page = super().open("/login", follow_redirects=True)
        match = CSRF_RE.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)


@pytest.fixture
def sqlite_path(database_uri):
    """The test database's file, for tests of SQLite's own behaviour (its write lock); skipped
    on PostgreSQL."""
    if not database_uri.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    return database_uri.removeprefix("sqlite:///")


def lock_free_probe(path: str):
    """(seen, probe): each probe() adds to seen whether another process's writer could take
    SQLite's write lock at that moment, without waiting."""
    seen = []

    def probe() -> None:
        other = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append(True)
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            seen.append(False)
        finally:
            other.close()

    return seen, probe


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """The seeded accounts by key (commune_a, department, coordinator, ...)."""
    from sqlalchemy import select

    from app.models import User

    with app.app_context():
        by_name = {u.username: u for u in db.session.scalars(select(User))}
        out = {key: by_name[spec[0]] for key, spec in TEST_USERS.items()}
        for user in out.values():
            db.session.expunge(user)
    return out


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, key: str = "commune_a", password: str = PASSWORD):
        username = TEST_USERS[key][0] if key in TEST_USERS else key
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(app):
    """Return a function giving a new logged-in client for a role key."""

    def make(key: str):
        app.test_client_class = Client
        c = app.test_client()
        response = AuthActions(c).login(key)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return c

    return make
