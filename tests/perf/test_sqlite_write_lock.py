"""A writing request waits for SQLite's write lock in short steps, within the busy timeout."""

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from tests.conftest import base_config


@pytest.fixture
def sqlite_path(database_uri):
    if not database_uri.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    return database_uri.removeprefix("sqlite:///")


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another process's writer: take the lock now, release it after seconds."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(seconds, lambda: (holder.execute("COMMIT"), holder.close()))
    released.start()
    return released


def test_a_post_waits_for_the_lock_then_writes(app, sqlite_path):
    released = _hold_write_lock(sqlite_path, 0.3)
    with app.test_request_context("/", method="POST"):
        db.session.execute(text("INSERT INTO settings (key, value) VALUES ('lock_test', '1')"))
        db.session.commit()
        # The connection's busy timeout is what it was before the wait.
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        assert db.session.execute(text("SELECT value FROM settings WHERE key = 'lock_test'")).scalar() == "1"
        db.session.remove()
    released.join()


def test_the_wait_ends_with_the_busy_timeout(sqlite_path, tmp_path):
    app = create_app({**base_config(f"sqlite:///{sqlite_path}", tmp_path), "SQLITE_BUSY_TIMEOUT_MS": 200})
    released = _hold_write_lock(sqlite_path, 3)
    try:
        with app.test_request_context("/", method="POST"), pytest.raises(OperationalError, match="locked"):
            db.session.execute(text("SELECT 1"))
    finally:
        released.cancel()
        released.function()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
